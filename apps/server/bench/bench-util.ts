/** Small helpers shared by the benchmarks. */
import { readFileSync } from "node:fs";
import type { Deployment } from "@berth/db";
import { isTerminalStatus } from "../src/deployments/statuses.ts";
import type { TestDeps } from "../test/harness.ts";

export async function untilHttp200(port: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function median(values: number[]): number {
  return percentile(values, 50);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const secs = (ms: number) => (ms / 1000).toFixed(2);

/** CPU time (user + system) this process spent since `start` (a `process.cpuUsage()`), in ms. */
export function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000);
}

/**
 * CPU time (user + system, ms) the local Docker Engine (dockerd) has used so far, from
 * /proc/<pid>/stat (in clock ticks: USER_HZ, 100 on Linux); null when its pid file or /proc entry
 * cannot be read (a remote engine, another user).
 */
export function engineCpuMs(): number | null {
  try {
    const pid = readFileSync("/var/run/docker.pid", "utf8").trim();
    // Fields after the command name "(dockerd) ": state is the 1st, utime the 12th, stime the 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** The engine's CPU time (ms) while `work` ran, next to its result; null when not readable. */
export async function withEngineCpu<T>(work: () => Promise<T>): Promise<{ result: T; engineMs: number | null }> {
  const before = engineCpuMs();
  const result = await work();
  const after = engineCpuMs();
  return { result, engineMs: before === null || after === null ? null : after - before };
}

/** Where the time of one deploy went, in ms, by stage. */
export type Stages = Record<string, number>;

/** "clone 95 ms, build 160 ms, ..." from each stage's median over the runs. */
export function stageMedians(stages: Stages[]): string {
  const names = Object.keys(stages[0] ?? {});
  return names.map((n) => `${n} ${Math.round(median(stages.map((s) => s[n] ?? NaN)))} ms`).join(", ");
}

/**
 * Each deployment's end as the worker publishes it: the status event the dashboard hears over
 * socket.io (not a poll of the database: 100 queries a second during the deploy took CPU from
 * the engine it measures, on two cores).
 */
export function deploymentEnds(deps: Pick<TestDeps, "events">): (deploymentId: string) => Promise<string> {
  const waiting = new Map<string, (status: string) => void>();
  const ended = new Map<string, string>();
  deps.events.onStatus((e) => {
    if (!isTerminalStatus(e.status)) return;
    const resolve = waiting.get(e.deploymentId);
    if (resolve) resolve(e.status);
    else ended.set(e.deploymentId, e.status);
  });
  return (deploymentId) =>
    new Promise((resolve) => {
      const status = ended.get(deploymentId);
      if (status === undefined) waiting.set(deploymentId, resolve);
      else resolve(status);
    });
}

/** After the deploy call: its end event, then its release answering 200; the row, and when the end was heard. */
export async function untilServing(
  deps: Pick<TestDeps, "db">,
  ended: (deploymentId: string) => Promise<string>,
  deploymentId: string,
): Promise<{ deployment: Deployment; seen: number }> {
  const status = await ended(deploymentId);
  const seen = performance.now();
  const deployment = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
  if (status !== "succeeded" || deployment.hostPort === null) throw new Error(`deploy ${status}: ${deployment.error}`);
  await untilHttp200(deployment.hostPort);
  return { deployment, seen };
}
