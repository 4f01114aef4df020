-- AlterTable
ALTER TABLE "service" ADD COLUMN     "servingPorts" INTEGER[] DEFAULT ARRAY[]::INTEGER[];

