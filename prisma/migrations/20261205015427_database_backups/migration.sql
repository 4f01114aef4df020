-- CreateEnum
CREATE TYPE "DatabaseEngine" AS ENUM ('postgresql');

-- CreateEnum
CREATE TYPE "BackupDestinationKind" AS ENUM ('directory', 's3');

-- CreateEnum
CREATE TYPE "BackupStatus" AS ENUM ('running', 'succeeded', 'failed');

-- AlterTable
ALTER TABLE "service" ADD COLUMN     "databaseEngine" "DatabaseEngine";

-- CreateTable
CREATE TABLE "backup_destination" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "kind" "BackupDestinationKind" NOT NULL,
    "directory" TEXT,
    "endpoint" TEXT,
    "region" TEXT,
    "bucket" TEXT,
    "prefix" TEXT NOT NULL DEFAULT '',
    "accessKeyId" TEXT,
    "secretAccessKey" TEXT,
    "forcePathStyle" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "backup_destination_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "backup_policy" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "cron" TEXT,
    "keepLast" INTEGER,
    "keepDays" INTEGER,
    "nextRunAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "backup_policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "database_backup" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "status" "BackupStatus" NOT NULL DEFAULT 'running',
    "trigger" TEXT NOT NULL,
    "destinationKind" "BackupDestinationKind" NOT NULL,
    "location" TEXT NOT NULL,
    "sizeBytes" BIGINT NOT NULL DEFAULT 0,
    "durationMs" INTEGER NOT NULL DEFAULT 0,
    "sha256" TEXT NOT NULL DEFAULT '',
    "log" TEXT NOT NULL DEFAULT '',
    "error" TEXT,
    "restoredAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "database_backup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "backup_destination_projectId_key" ON "backup_destination"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "backup_policy_serviceId_key" ON "backup_policy"("serviceId");

-- CreateIndex
CREATE INDEX "backup_policy_nextRunAt_idx" ON "backup_policy"("nextRunAt");

-- CreateIndex
CREATE INDEX "database_backup_serviceId_startedAt_idx" ON "database_backup"("serviceId", "startedAt");

-- AddForeignKey
ALTER TABLE "backup_destination" ADD CONSTRAINT "backup_destination_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "backup_policy" ADD CONSTRAINT "backup_policy_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "database_backup" ADD CONSTRAINT "database_backup_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Databases created in one step before this migration: their engine is in the audit entry of their creation.
UPDATE "service" AS s SET "databaseEngine" = 'postgresql'
FROM "audit_event" AS a
WHERE a."action" = 'database.create' AND a."targetId" = s."id" AND a."detail"->>'engine' = 'postgresql';
