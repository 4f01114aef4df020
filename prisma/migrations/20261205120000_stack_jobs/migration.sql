-- A compose service others depend on with `service_completed_successfully` is a job: each
-- deployment runs it to completion as a one-off run (trigger job) and releases nothing.
ALTER TYPE "OneOffTrigger" ADD VALUE 'job';
ALTER TABLE "service" ADD COLUMN "job" BOOLEAN NOT NULL DEFAULT false;
