-- AlterTable
ALTER TABLE "instance_settings" ADD COLUMN     "buildLogRetentionDays" INTEGER NOT NULL DEFAULT 30;

