/**
 * Cron jobs of a service: a croner schedule (evaluated in the instance's time zone), a shell
 * command (run as `sh -c` in a new container of the live release), a timeout, an enabled switch.
 * "Skip if still running" is the only concurrency policy. Members edit and run them; viewers read.
 */
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { invalidField, notFound } from "../errors.ts";
import { nextRun } from "../schedules/cron-expression.ts";
import { loadService, type Actor } from "../teams/access.ts";
import type { CronJobInput } from "./cron-input.ts";
import { runCronJob } from "./run-cron-job.ts";

type CronDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "mailer" | "box">;

/** The time zone schedules are evaluated in: the process's (TZ), shown next to every expression. */
export function instanceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

async function loadJob(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, cronJobId: string, min: "viewer" | "member") {
  const { service } = await loadService(deps.db, actor, serviceId, min);
  const job = await deps.db.cronJob.findFirst({ where: { id: cronJobId, serviceId: service.id } });
  if (!job) throw notFound("Cron job");
  return { service, job };
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) throw invalidField("name", "This service already has a cron job with this name");
  throw err;
}

export async function listCronJobs(deps: Pick<Deps, "db">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  const jobs = await deps.db.cronJob.findMany({
    where: { serviceId: service.id },
    orderBy: { name: "asc" },
    include: {
      runs: {
        orderBy: { startedAt: "desc" },
        take: 1,
        select: { id: true, status: true, exitCode: true, startedAt: true, durationMs: true },
      },
    },
  });
  const timeZone = instanceTimeZone();
  const now = new Date();
  return {
    timeZone,
    jobs: jobs.map(({ runs, ...job }) => ({
      ...job,
      lastRun: runs[0] ?? null,
      nextRunAt: job.enabled ? nextRun(job.schedule, timeZone, now) : null,
    })),
  };
}

export async function createCronJob(deps: CronDeps, actor: Actor, serviceId: string, input: CronJobInput) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const job = await deps.db.cronJob.create({ data: { serviceId: service.id, ...input } }).catch(nameTaken);
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "cron.create",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, cronJobId: job.id, job: job.name, schedule: job.schedule },
  });
  return { id: job.id };
}

export async function updateCronJob(deps: CronDeps, actor: Actor, serviceId: string, cronJobId: string, input: CronJobInput) {
  const { service, job } = await loadJob(deps, actor, serviceId, cronJobId, "member");
  await deps.db.cronJob.update({ where: { id: job.id }, data: input }).catch(nameTaken);
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "cron.update",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, cronJobId: job.id, job: input.name, schedule: input.schedule, enabled: input.enabled },
  });
  return { id: job.id };
}

export async function deleteCronJob(deps: CronDeps, actor: Actor, serviceId: string, cronJobId: string) {
  const { service, job } = await loadJob(deps, actor, serviceId, cronJobId, "member");
  await deps.db.cronJob.delete({ where: { id: job.id } });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "cron.delete",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, cronJobId: job.id, job: job.name },
  });
  return { deleted: true };
}

/** "Run now": one run outside the schedule, skipped like a slot when the previous still runs. */
export async function runCronJobNow(deps: CronDeps, actor: Actor, serviceId: string, cronJobId: string) {
  const { service, job } = await loadJob(deps, actor, serviceId, cronJobId, "member");
  const started = await runCronJob(deps, job, { slot: null, actorId: actor.userId });
  if (started === null) throw invalidField("cronJobId", "The previous run of this job is still running");
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "cron.run",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, cronJobId: job.id, runId: started.runId },
  });
  return { runId: started.runId };
}
