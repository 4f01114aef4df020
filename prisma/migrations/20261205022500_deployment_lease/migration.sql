-- AlterTable
ALTER TABLE "deployment" ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "workerName" TEXT;
