import type { OneOffStatus } from "@berth/db";
import type { Deps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { loadService, type Actor } from "../teams/access.ts";

export interface RunSlice {
  status: OneOffStatus;
  exitCode: number | null;
  error: string | null;
  durationMs: number | null;
  /** The output from character `from` on. */
  text: string;
  /** The whole output's length in characters (where the next read starts). */
  len: number;
}

/**
 * A run's output from a character offset, with its state, for a viewer of its service (checked
 * again on every read, so a removed member's follow ends). Null when the run is not the service's.
 */
export async function readRunOutput(
  deps: Pick<Deps, "db">,
  actor: Actor,
  serviceId: string,
  runId: string,
  from: number,
): Promise<RunSlice | null> {
  await loadService(deps.db, actor, serviceId, "viewer");
  const rows = await deps.db.$queryRaw<RunSlice[]>`
    SELECT status::text AS status, "exitCode", error, "durationMs", substr(output, ${from + 1}) AS text, char_length(output) AS len
    FROM one_off_run WHERE id = ${runId} AND "serviceId" = ${serviceId}`;
  const run = rows[0];
  return run ? { ...run, len: Number(run.len) } : null;
}

/** The same slice for a caller that wants an error, not null, for a run that is not the service's (REST, `berth run`). */
export async function runOutputOrThrow(
  deps: Pick<Deps, "db">,
  actor: Actor,
  serviceId: string,
  runId: string,
  from: number,
): Promise<RunSlice> {
  const run = await readRunOutput(deps, actor, serviceId, runId, from);
  if (!run) throw notFound("Run");
  return run;
}
