import type { Deps } from "../deps.ts";
import { ACTIVE_STATUSES } from "./statuses.ts";

export const RESTART_REASON = "Berth restarted while this deployment was in progress; the previous release kept serving";

/**
 * At boot, before the worker starts: end every deployment a crash left in progress (cloning,
 * building, releasing) with a reason, and remove every container of a deployment this
 * database knows that is not its service's live release (the latest succeeded one). Never
 * touches containers of deployments it does not know (other instances'). A live release left
 * stopped (a stop-first deployment interrupted) is started again when its service should run.
 * Queued deployments stay queued and are picked up by the worker.
 */
export async function recoverDeployments(deps: Pick<Deps, "db" | "engine" | "log">): Promise<{ ended: number; removed: number; restarted: number }> {
  const { db, engine, log } = deps;
  const ended = await db.deployment.updateMany({
    where: { status: { in: [...ACTIVE_STATUSES] } },
    data: { status: "failed", error: RESTART_REASON, finishedAt: new Date() },
  });
  const containers = await engine.listManaged();
  const ids = [...new Set(containers.map((c) => c.deploymentId))];
  const known = await db.deployment.findMany({ where: { id: { in: ids } }, select: { id: true, serviceId: true } });
  const serviceIds = [...new Set(known.map((d) => d.serviceId))];
  const live = new Set<string>();
  for (const serviceId of serviceIds) {
    const current = await findLiveDeployment(db, serviceId);
    if (current) live.add(current.id);
  }
  const knownIds = new Set(known.map((d) => d.id));
  let removed = 0;
  for (const c of containers.filter((c) => knownIds.has(c.deploymentId) && !live.has(c.deploymentId))) {
    await engine.removeContainer(c.containerId);
    removed += 1;
  }
  // A stop-first deployment stops the live release before it starts the new one: a crash in
  // between leaves it stopped. Every service that should run gets its live release back.
  const stopped = containers.filter((c) => live.has(c.deploymentId) && c.state !== "running" && c.state !== "restarting");
  const restart = await db.service.findMany({ where: { id: { in: [...new Set(stopped.map((c) => c.owner.serviceId))] }, desiredState: "running" }, select: { id: true } });
  let restarted = 0;
  for (const s of restart) restarted += (await engine.startService(s.id)).length;
  if (ended.count > 0 || removed > 0 || restarted > 0) log.warn({ ended: ended.count, removed, restarted }, "recovered after restart");
  return { ended: ended.count, removed, restarted };
}

/** The service's live release: its most recently finished succeeded deployment. */
export function findLiveDeployment(db: Deps["db"], serviceId: string) {
  return db.deployment.findFirst({
    where: { serviceId, status: "succeeded" },
    orderBy: [{ finishedAt: "desc" }, { createdAt: "desc" }],
    select: { id: true, hostPort: true, containerId: true, image: true, config: true },
  });
}

/** Recover once the engine and database answer; until then retry (every 5 s), never crash. */
export function recoverWhenReachable(deps: Pick<Deps, "db" | "engine" | "log">, then: () => void): void {
  recoverDeployments(deps).then(then, (err: unknown) => {
    deps.log.warn({ err: String(err) }, "recovery postponed: engine or database unreachable; retrying in 5 s");
    setTimeout(() => recoverWhenReachable(deps, then), 5000).unref();
  });
}
