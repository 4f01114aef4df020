/**
 * Execute one recorded run (a `one_off_run` row in status running) to its end: the engine runs
 * the container; output is masked and stored (bounded); every second the row's heartbeat is
 * refreshed unless a cancel was asked or the row is gone (a cancel from any process, or the
 * service's deletion, stops it); the row ends with status, exit code, duration and a readable
 * reason. Shared by one-offs, release commands and cron.
 */
import type { OneOffSpec } from "@berth/engine";
import type { OneOffStatus } from "@berth/db";
import type { Deps } from "../deps.ts";
import { domainErrorOf } from "../domain-error-of.ts";
import { OutputLines, type OutputStream } from "./output-lines.ts";
import { RunOutput } from "./run-output.ts";

const HEARTBEAT_MS = 1000;

/** Runs this process executes, to abort a cancel at once (other processes see the row's flag). */
const local = new Map<string, AbortController>();

export function abortLocalRun(runId: string): void {
  local.get(runId)?.abort();
}

export interface RunEnd {
  status: OneOffStatus;
  exitCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface ExecuteOptions {
  needles: string[];
  /** Also sent every output line (e.g. a release command's into the deployment log). */
  onLine?: (stream: OutputStream, line: string) => void;
  /** Aborts the run like a cancel (e.g. the deployment it belongs to was cancelled). */
  signal?: AbortSignal;
}

export async function executeRun(
  deps: Pick<Deps, "db" | "engine" | "log">,
  run: { id: string; timeoutS: number },
  spec: OneOffSpec,
  options: ExecuteOptions,
): Promise<RunEnd> {
  const started = Date.now();
  const controller = new AbortController();
  local.set(run.id, controller);
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener("abort", onOuterAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const output = new RunOutput(deps.db, deps.log, run.id);
  const lines = new OutputLines(options.needles, (stream, line) => {
    output.line(line);
    options.onLine?.(stream, line);
  });
  const heartbeat = setInterval(() => {
    // No row refreshed: a cancel was asked, or the row is gone with its service (deleted while the
    // run started) -- either way the run stops rather than go on for a service that is no more.
    deps.db.oneOffRun
      .updateMany({ where: { id: run.id, cancelRequestedAt: null }, data: { heartbeatAt: new Date() } })
      .then(({ count }) => (count === 0 ? controller.abort() : undefined))
      .catch((err: unknown) => deps.log.warn({ runId: run.id, err: String(err) }, "one-off heartbeat failed"));
  }, HEARTBEAT_MS);
  let end: Omit<RunEnd, "durationMs">;
  try {
    const result = await deps.engine.runOneOff(spec, {
      timeoutMs: run.timeoutS * 1000,
      signal: controller.signal,
      onOutput: (c) => lines.push(c.stream, c.text),
    });
    lines.end();
    if (result.outcome === "cancelled") end = { status: "cancelled", exitCode: result.exitCode, error: "Cancelled" };
    else if (result.outcome === "timed_out")
      end = { status: "timed_out", exitCode: result.exitCode, error: `Did not finish within ${run.timeoutS} s; the container was stopped` };
    else if (result.exitCode === 0) end = { status: "succeeded", exitCode: 0, error: null };
    else end = { status: "failed", exitCode: result.exitCode, error: `Exited with code ${result.exitCode ?? "unknown"}` };
  } catch (err) {
    lines.end();
    const message = domainErrorOf(err)?.message ?? (err instanceof Error ? err.message : String(err));
    end = { status: "failed", exitCode: null, error: message };
  } finally {
    clearInterval(heartbeat);
    local.delete(run.id);
    options.signal?.removeEventListener("abort", onOuterAbort);
  }
  const durationMs = Date.now() - started;
  // All output is stored before the row says the run ended: a viewer that sees the end has it all.
  await output.flush();
  await deps.db.oneOffRun.updateMany({ where: { id: run.id, status: "running" }, data: { ...end, finishedAt: new Date(), durationMs } });
  return { ...end, durationMs };
}
