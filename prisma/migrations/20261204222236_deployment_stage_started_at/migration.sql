-- AlterTable
ALTER TABLE "deployment" ADD COLUMN     "stageStartedAt" TIMESTAMP(3);
