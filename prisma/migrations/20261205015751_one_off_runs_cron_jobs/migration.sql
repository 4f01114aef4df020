-- CreateEnum
CREATE TYPE "OneOffStatus" AS ENUM ('running', 'succeeded', 'failed', 'cancelled', 'timed_out');

-- CreateEnum
CREATE TYPE "OneOffTrigger" AS ENUM ('user', 'cron', 'release');

-- CreateTable
CREATE TABLE "one_off_run" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "trigger" "OneOffTrigger" NOT NULL DEFAULT 'user',
    "deploymentId" TEXT,
    "cronJobId" TEXT,
    "cronSlot" TIMESTAMP(3),
    "command" TEXT[],
    "status" "OneOffStatus" NOT NULL DEFAULT 'running',
    "exitCode" INTEGER,
    "output" TEXT NOT NULL DEFAULT '',
    "outputTruncated" BOOLEAN NOT NULL DEFAULT false,
    "error" TEXT,
    "actorId" TEXT,
    "timeoutS" INTEGER NOT NULL,
    "cancelRequestedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,

    CONSTRAINT "one_off_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cron_job" (
    "id" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "schedule" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "timeoutS" INTEGER NOT NULL DEFAULT 3600,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "cron_job_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "one_off_run_serviceId_startedAt_idx" ON "one_off_run"("serviceId", "startedAt");

-- CreateIndex
CREATE INDEX "one_off_run_status_idx" ON "one_off_run"("status");

-- CreateIndex
CREATE UNIQUE INDEX "one_off_run_cronJobId_cronSlot_key" ON "one_off_run"("cronJobId", "cronSlot");

-- CreateIndex
CREATE UNIQUE INDEX "cron_job_serviceId_name_key" ON "cron_job"("serviceId", "name");

-- AddForeignKey
ALTER TABLE "one_off_run" ADD CONSTRAINT "one_off_run_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "one_off_run" ADD CONSTRAINT "one_off_run_cronJobId_fkey" FOREIGN KEY ("cronJobId") REFERENCES "cron_job"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cron_job" ADD CONSTRAINT "cron_job_serviceId_fkey" FOREIGN KEY ("serviceId") REFERENCES "service"("id") ON DELETE CASCADE ON UPDATE CASCADE;
