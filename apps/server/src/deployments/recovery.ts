import type { Deps } from "../deps.ts";

export const RESTART_REASON = "Berth restarted while this deployment was in progress; the previous release kept serving";

/**
 * At boot: end every deployment a crash left `deploying`, and remove containers that belong
 * to deployments this database knows are not live (never touches other instances' containers).
 * Queued deployments stay queued and are picked up by the worker.
 */
export async function recoverDeployments(deps: Pick<Deps, "db" | "engine" | "log">): Promise<{ ended: number; removed: number }> {
  const { db, engine, log } = deps;
  const ended = await db.deployment.updateMany({
    where: { status: "deploying" },
    data: { status: "failed", error: RESTART_REASON, finishedAt: new Date() },
  });
  const containers = await engine.listManaged();
  const ids = [...new Set(containers.map((c) => c.deploymentId))];
  const notLive = await db.deployment.findMany({
    where: { id: { in: ids }, status: { in: ["failed", "stopped", "queued"] } },
    select: { id: true },
  });
  const stale = new Set(notLive.map((d) => d.id));
  let removed = 0;
  for (const c of containers.filter((c) => stale.has(c.deploymentId))) {
    await engine.removeContainer(c.containerId);
    removed += 1;
  }
  if (ended.count > 0 || removed > 0) log.warn({ ended: ended.count, removed }, "recovered after restart");
  return { ended: ended.count, removed };
}
