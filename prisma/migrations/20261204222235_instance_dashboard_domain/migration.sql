-- AlterTable
ALTER TABLE "instance_settings" ADD COLUMN     "dashboardDomain" TEXT NOT NULL DEFAULT '';
