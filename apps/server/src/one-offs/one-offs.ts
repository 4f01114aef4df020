/**
 * One-off runs (like `heroku run`): a command in a NEW container of the service's live release,
 * with its variables, network and volumes. Started in the background; viewers follow the stored
 * output (realtime/one-off-output.ts). Members run and cancel; viewers read.
 */
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { notFound } from "../errors.ts";
import { pruneProjectNetwork } from "../services/project-network.ts";
import { loadService, type Actor } from "../teams/access.ts";
import { abortLocalRun, executeRun } from "./execute-run.ts";
import { argvOf, type OneOffInput } from "./one-off-input.ts";
import { liveRunTarget, oneOffSpecOf, secretNeedles, type RunTarget } from "./run-target.ts";

type RunDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "box">;

/** Execute a recorded run (status running) in the background; `finished` settles when its row has ended. */
export function startRecordedRun(deps: RunDeps, target: RunTarget, run: { id: string; argv: string[]; timeoutS: number }): Promise<void> {
  return (async () => {
    const needles = await secretNeedles(deps, target.service);
    await executeRun(deps, { id: run.id, timeoutS: run.timeoutS }, oneOffSpecOf(target, run.id, run.argv), { needles });
  })()
    .catch(async (err: unknown) => {
      deps.log.error({ runId: run.id, err: String(err) }, "one-off run failed to finish");
      await deps.db.oneOffRun.updateMany({
        where: { id: run.id, status: "running" },
        data: { status: "failed", error: "The run could not be started", finishedAt: new Date() },
      });
    })
    .then(() => pruneIfServiceGone(deps, target))
    .catch((err: unknown) => deps.log.warn({ runId: run.id, err: String(err) }, "could not check the run's service after it ended"));
}

/**
 * A run that started while its service was being deleted (after the delete removed the service's
 * containers) is stopped by its heartbeat; its container may have been the last one on the
 * project's network -- or re-made it --, so the network goes now if nothing else is on it.
 */
async function pruneIfServiceGone(deps: Pick<Deps, "db" | "engine" | "log">, target: RunTarget): Promise<void> {
  if ((await deps.db.service.count({ where: { id: target.service.id } })) === 0) await pruneProjectNetwork(deps, target.project.id);
}

/** Record a user's run and execute it in the background; resolves with its id once it is recorded. */
async function launchRun(
  deps: RunDeps,
  target: RunTarget,
  run: { argv: string[]; timeoutS: number; actorId: string },
): Promise<{ runId: string }> {
  const row = await deps.db.oneOffRun.create({
    data: {
      serviceId: target.service.id,
      trigger: "user",
      deploymentId: target.deploymentId,
      command: run.argv,
      actorId: run.actorId,
      timeoutS: run.timeoutS,
    },
    select: { id: true },
  });
  void startRecordedRun(deps, target, { id: row.id, argv: run.argv, timeoutS: run.timeoutS });
  return { runId: row.id };
}

export async function startOneOff(deps: RunDeps, actor: Actor, serviceId: string, input: OneOffInput): Promise<{ runId: string }> {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const target = await liveRunTarget(deps, service);
  const { runId } = await launchRun(deps, target, { argv: argvOf(input), timeoutS: input.timeoutS, actorId: actor.userId });
  // The command itself is on the run (viewers of the service read it); the audit log keeps ids.
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "one_off.run",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, runId, deploymentId: target.deploymentId },
  });
  return { runId };
}

async function loadRun(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, runId: string, min: "viewer" | "member") {
  const { service } = await loadService(deps.db, actor, serviceId, min);
  const run = await deps.db.oneOffRun.findFirst({ where: { id: runId, serviceId: service.id } });
  if (!run) throw notFound("Run");
  return { service, run };
}

export async function cancelOneOff(deps: RunDeps, actor: Actor, serviceId: string, runId: string): Promise<{ cancelled: boolean }> {
  const { service, run } = await loadRun(deps, actor, serviceId, runId, "member");
  const { count } = await deps.db.oneOffRun.updateMany({
    where: { id: run.id, status: "running", cancelRequestedAt: null },
    data: { cancelRequestedAt: new Date() },
  });
  abortLocalRun(run.id);
  if (count > 0)
    await recordAudit(deps.db, actor, {
      teamId: service.project.teamId,
      action: "one_off.cancel",
      targetType: "service",
      targetId: service.id,
      detail: { name: service.name, runId },
    });
  return { cancelled: count > 0 };
}

const SUMMARY = {
  id: true,
  trigger: true,
  command: true,
  status: true,
  exitCode: true,
  error: true,
  deploymentId: true,
  cronJobId: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
  outputTruncated: true,
  actorId: true,
} as const;

/** The service's latest runs (optionally of one cron job), newest first, without their output. */
export async function listOneOffs(
  deps: Pick<Deps, "db">,
  actor: Actor,
  serviceId: string,
  filter: { cronJobId?: string | undefined; limit: number },
) {
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  const runs = await deps.db.oneOffRun.findMany({
    where: { serviceId: service.id, ...(filter.cronJobId ? { cronJobId: filter.cronJobId } : {}) },
    orderBy: { startedAt: "desc" },
    take: filter.limit,
    select: SUMMARY,
  });
  const actorIds = [...new Set(runs.flatMap((r) => (r.actorId ? [r.actorId] : [])))];
  const users = await deps.db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } });
  const emails = new Map(users.map((u) => [u.id, u.email]));
  return runs.map(({ actorId, ...r }) => ({ ...r, ranBy: actorId ? (emails.get(actorId) ?? null) : null }));
}

/** One run with its stored output. */
export async function getOneOff(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, runId: string) {
  const { run } = await loadRun(deps, actor, serviceId, runId, "viewer");
  const { heartbeatAt: _h, cancelRequestedAt, cronSlot: _s, ...rest } = run;
  return { ...rest, cancelRequested: cancelRequestedAt !== null };
}
