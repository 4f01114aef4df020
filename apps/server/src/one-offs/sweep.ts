/**
 * Runs whose process died (a restart, a crash): a `running` row whose heartbeat is older than
 * LOST_AFTER_MS ends as failed, and one-off containers of runs that are no longer running are
 * removed. Runs of live processes refresh their heartbeat every second, so none is touched.
 */
import type { Deps } from "../deps.ts";

const LOST_AFTER_MS = 30_000;

export async function sweepLostRuns(deps: Pick<Deps, "db" | "engine" | "log">): Promise<void> {
  const stale = new Date(Date.now() - LOST_AFTER_MS);
  const { count } = await deps.db.oneOffRun.updateMany({
    where: { status: "running", heartbeatAt: { lt: stale } },
    data: { status: "failed", error: "The process running it stopped; the run was abandoned", finishedAt: new Date() },
  });
  if (count > 0) deps.log.warn({ count }, "abandoned one-off runs ended as failed");
  const containers = await deps.engine.listOneOffs();
  if (containers.length === 0) return;
  const running = new Set(
    (
      await deps.db.oneOffRun.findMany({ where: { id: { in: containers.map((c) => c.runId) }, status: "running" }, select: { id: true } })
    ).map((r) => r.id),
  );
  for (const c of containers) {
    if (running.has(c.runId)) continue;
    // A row that does not exist yet may be mid-create in another process: only ended runs' containers go.
    const row = await deps.db.oneOffRun.findUnique({ where: { id: c.runId }, select: { finishedAt: true } });
    if (row?.finishedAt && row.finishedAt < stale)
      await deps.engine
        .removeOneOff(c.containerId)
        .catch((err: unknown) => deps.log.warn({ runId: c.runId, err: String(err) }, "could not remove an abandoned one-off container"));
  }
}
