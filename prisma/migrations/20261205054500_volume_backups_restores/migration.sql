-- DropIndex
DROP INDEX "backup_policy_serviceId_key";

-- AlterTable
ALTER TABLE "backup_policy" ADD COLUMN     "volume" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "database_backup" ADD COLUMN     "leaseUntil" TIMESTAMP(3),
ADD COLUMN     "volume" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "backup_restore" (
    "id" TEXT NOT NULL,
    "backupId" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "status" "BackupStatus" NOT NULL DEFAULT 'running',
    "step" TEXT NOT NULL DEFAULT '',
    "log" TEXT NOT NULL DEFAULT '',
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "backup_restore_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "backup_restore_serviceId_startedAt_idx" ON "backup_restore"("serviceId", "startedAt");

-- CreateIndex
CREATE INDEX "backup_restore_status_idx" ON "backup_restore"("status");

-- CreateIndex
CREATE UNIQUE INDEX "backup_policy_serviceId_volume_key" ON "backup_policy"("serviceId", "volume");

-- AddForeignKey
ALTER TABLE "backup_restore" ADD CONSTRAINT "backup_restore_backupId_fkey" FOREIGN KEY ("backupId") REFERENCES "database_backup"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backup_restore" ADD CONSTRAINT "backup_restore_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

