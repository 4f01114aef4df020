-- AlterTable
ALTER TABLE "cluster" ADD COLUMN     "registryPassword" TEXT,
ADD COLUMN     "registryPort" INTEGER;

