-- Slots a cron job skipped because its previous run was still running (shown with its history).
ALTER TABLE "cron_job" ADD COLUMN "skippedSlots" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "lastSkippedAt" TIMESTAMP(3);
