-- AlterTable
ALTER TABLE "cluster" ADD COLUMN     "controlCheckedAt" TIMESTAMP(3),
ADD COLUMN     "controlError" TEXT,
ADD COLUMN     "controlState" TEXT NOT NULL DEFAULT 'ok';
