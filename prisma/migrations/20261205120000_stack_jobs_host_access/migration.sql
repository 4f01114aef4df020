-- A compose service others depend on with `service_completed_successfully` is a job: each
-- deployment runs it to completion as a one-off run (trigger job) and releases nothing.
ALTER TYPE "OneOffTrigger" ADD VALUE 'job';
ALTER TABLE "service" ADD COLUMN "job" BOOLEAN NOT NULL DEFAULT false;

-- Compose keys with powers over the host (privileged, cap_add, devices, host namespaces ...):
-- refused unless the instance owner allows them; a service keeps what its stack gave it.
ALTER TABLE "instance_settings" ADD COLUMN "allowHostAccess" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "service" ADD COLUMN "hostAccess" JSONB NOT NULL DEFAULT '{}';
