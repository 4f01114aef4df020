/**
 * One run of a cron job (a scheduled slot or "Run now"): claimed in Postgres -- under a per-job
 * advisory lock, refused while a run of the job is still running (skip policy) and, for a slot,
 * by the unique (cronJobId, cronSlot) index, so two schedulers never run one slot twice --, then
 * executed like any one-off; a run that does not succeed is sent to the project's channels.
 */
import type { CronJob } from "@berth/db";
import type { Deps } from "../deps.ts";
import { dashboardUrl } from "../instance/dashboard-domain.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { deliverToChannels } from "../notifications/notifier.ts";
import { startRecordedRun } from "../one-offs/one-offs.ts";
import { liveRunTarget, type RunTarget } from "../one-offs/run-target.ts";

type CronDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "mailer" | "box">;

/** The started run, or null when it was skipped (still running, slot already claimed, service gone). */
export async function runCronJob(
  deps: CronDeps,
  job: CronJob,
  opts: { slot: Date | null; actorId: string | null },
): Promise<{ runId: string; finished: Promise<void> } | null> {
  const service = await deps.db.service.findUnique({
    where: { id: job.serviceId },
    include: { project: { select: { id: true, name: true, teamId: true } } },
  });
  if (!service) return null;
  const argv = ["sh", "-c", job.command];
  let target: RunTarget | null = null;
  let problem: string | null = null;
  try {
    target = await liveRunTarget(deps, service);
  } catch (err) {
    problem = err instanceof Error ? err.message : String(err);
  }
  let runId: string | null;
  try {
    runId = await deps.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`berth.cron.${job.id}`})::bigint)`;
      if ((await tx.oneOffRun.count({ where: { cronJobId: job.id, status: "running" } })) > 0) return null;
      const row = await tx.oneOffRun.create({
        data: {
          serviceId: service.id,
          trigger: "cron",
          cronJobId: job.id,
          cronSlot: opts.slot,
          deploymentId: target?.deploymentId ?? null,
          command: argv,
          actorId: opts.actorId,
          timeoutS: job.timeoutS,
          // A service without a live release: the slot is recorded as failed (and notified).
          ...(target ? {} : { status: "failed" as const, error: problem, finishedAt: new Date(), durationMs: 0 }),
        },
        select: { id: true },
      });
      return row.id;
    });
  } catch (err) {
    if (isUniqueViolation(err)) return null; // another scheduler claimed this slot
    throw err;
  }
  if (runId === null) {
    deps.log.info({ cronJobId: job.id, slot: opts.slot?.toISOString() }, "cron run skipped: the previous run is still running");
    // Shown with the job's history, so a job that always overruns its schedule is visible.
    if (opts.slot)
      await deps.db.cronJob
        .update({ where: { id: job.id }, data: { skippedSlots: { increment: 1 }, lastSkippedAt: opts.slot } })
        .catch(() => undefined);
    return null;
  }
  const id = runId;
  const finished = (target ? startRecordedRun(deps, target, { id, argv, timeoutS: job.timeoutS }) : Promise.resolve())
    .then(() => notifyIfFailed(deps, job, service, id))
    .catch((err: unknown) => deps.log.error({ runId: id, err: String(err) }, "cron failure notification failed"));
  return { runId: id, finished };
}

async function notifyIfFailed(
  deps: CronDeps,
  job: CronJob,
  service: { id: string; name: string; projectId: string; project: { name: string } },
  runId: string,
): Promise<void> {
  const run = await deps.db.oneOffRun.findUnique({ where: { id: runId }, select: { status: true, error: true, deploymentId: true } });
  if (!run || run.status === "succeeded" || run.status === "cancelled") return;
  await deliverToChannels(deps, service.projectId, "failure", {
    status: "cron_failed",
    cronJob: job.name,
    project: service.project.name,
    service: service.name,
    serviceId: service.id,
    deploymentId: run.deploymentId ?? "",
    commitSha: null,
    // The run's error is Berth's own sentence (exit code, timeout, no release): no output, no secret.
    error: run.error,
    url: `${await dashboardUrl(deps)}/services/${service.id}`,
  });
}
