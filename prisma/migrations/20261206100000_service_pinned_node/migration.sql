-- AlterTable
ALTER TABLE "service" ADD COLUMN     "pinnedNodeId" TEXT;
