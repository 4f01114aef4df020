import type { Deps } from "../deps.ts";
import { waitUntilNone } from "../wait-until-none.ts";
import { abortLocalRun } from "./execute-run.ts";

/** Longest a removal waits for its services' runs to end after they were asked to cancel. */
const STOP_WAIT_MS = 15_000;
/** A run whose heartbeat is older than this has no process left to end it (the sweep will). */
const ALIVE_MS = 5_000;

/**
 * Before services are removed: their running one-offs and cron runs are asked to cancel (in this
 * process at once, elsewhere through the row's flag, read within a second) and the removal waits,
 * bounded, until none of them runs. Killed by the removal instead, a run ended "failed" -- and a
 * cron job's told the project's channels of a failure nobody caused.
 */
export async function stopRuns(deps: Pick<Deps, "db">, serviceIds: string[]): Promise<void> {
  const running = { serviceId: { in: serviceIds }, status: "running" as const };
  const runs = await deps.db.oneOffRun.findMany({ where: running, select: { id: true } });
  if (runs.length === 0) return;
  await deps.db.oneOffRun.updateMany({ where: { ...running, cancelRequestedAt: null }, data: { cancelRequestedAt: new Date() } });
  for (const run of runs) abortLocalRun(run.id);
  const alive = () => ({ ...running, heartbeatAt: { gt: new Date(Date.now() - ALIVE_MS) } });
  await waitUntilNone(() => deps.db.oneOffRun.count({ where: alive() }), STOP_WAIT_MS);
}
