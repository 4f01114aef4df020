/**
 * The health gate of a new container: poll until it is running AND passes its gate (the
 * image's HEALTHCHECK, else Berth's HTTP/TCP/command probe, or running for stableMs), or
 * until it exits or restarts, fails `retries` probes in a row (after its start period), or
 * the deadline passes. Reports the last probe result either way.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerInspectInfo } from "dockerode";
import { inspectContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { probeCommandGate, probeHttpGate, probeTcpGate } from "./gate-probes.ts";
import { DOCKER_HEALTH_POLL_MS, RUNNING_POLL_MS, type HealthGate } from "./health-gate.ts";
import { publishedHostPort } from "./managed.ts";
import type { ProbeResult } from "./probe.ts";

export type Readiness =
  | { ready: true; hostPort: number | null; lastProbe?: string }
  | { ready: false; reason: string; hostPort: number | null; exitCode?: number; lastProbe?: string; cancelled?: true };

export interface ReadinessTarget {
  containerId: string;
  /** The published primary port; absent for a worker (hostPort is then null). */
  containerPort?: number;
  /** Extra fixed bindings of the primary port (not the release's own hostPort). */
  skipHostPorts?: number[];
  timeoutMs: number;
  gate: HealthGate;
  /** Ends the wait at once (reported as not ready, `cancelled`). */
  signal?: AbortSignal;
}

/** A "running" gate always gets time for its stable period past the deadline's start. */
export const RUNNING_GATE_SLACK_MS = 10_000;

type Health = { Status?: string; FailingStreak?: number; Log?: Array<{ ExitCode?: number; Output?: string }> };

function lastHealthLog(health: Health | undefined): string | undefined {
  const last = health?.Log?.at(-1);
  if (last === undefined) return undefined;
  return `HEALTHCHECK exit ${last.ExitCode ?? "?"}: ${(last.Output ?? "").trim().slice(0, 500)}`;
}

function secondsOf(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/** How long the whole wait may take: a running gate is never cut off before stableMs can pass. */
export function gateDeadlineMs(gate: HealthGate, timeoutMs: number): number {
  return gate.kind === "running" ? Math.max(timeoutMs, gate.stableMs + RUNNING_GATE_SLACK_MS) : timeoutMs;
}

/** The first wait while a probe finds nothing listening yet; doubled up to the gate's interval. */
export const FIRST_PROBE_WAIT_MS = 10;

/**
 * How long to wait before the next look. A probe gate that found nothing listening yet looks
 * again soon (10, 20, 40 ... ms, never past its interval): most apps listen within
 * milliseconds of their start, and such a probe never counts toward `retries`, so looking
 * sooner changes no verdict. Once something answered, the gate keeps its interval.
 */
function pollMs(gate: HealthGate, notListeningStreak: number): number {
  if (gate.kind === "docker") return DOCKER_HEALTH_POLL_MS;
  if (gate.kind === "running") return Math.min(RUNNING_POLL_MS, Math.max(10, gate.stableMs));
  if (notListeningStreak === 0) return gate.intervalMs;
  return Math.min(gate.intervalMs, FIRST_PROBE_WAIT_MS * 2 ** Math.min(notListeningStreak - 1, 16));
}

function deadlineReason(gate: HealthGate, timeoutMs: number): string {
  const what =
    gate.kind === "docker"
      ? "become healthy"
      : gate.kind === "http"
        ? `pass its HTTP health check on port ${gate.port}`
        : gate.kind === "tcp"
          ? `accept connections on port ${gate.port}`
          : gate.kind === "command"
            ? "pass its health command"
            : `stay running for ${secondsOf(gate.stableMs)} s`;
  return `did not ${what} within ${secondsOf(timeoutMs)} s`;
}

function probe(
  api: EngineApi,
  info: ContainerInspectInfo,
  gate: Extract<HealthGate, { kind: "http" | "tcp" | "command" }>,
): Promise<ProbeResult> {
  if (gate.kind === "http") return probeHttpGate(info, gate, api);
  if (gate.kind === "tcp") return probeTcpGate(info, gate.port, api);
  return probeCommandGate(api, info.Id, gate);
}

export async function waitUntilReady(api: EngineApi, target: ReadinessTarget): Promise<Readiness> {
  const { gate } = target;
  const begun = Date.now();
  const timeoutMs = gateDeadlineMs(gate, target.timeoutMs);
  const deadline = begun + timeoutMs;
  let hostPort: number | null = null;
  let lastProbe: string | undefined;
  let failures = 0;
  /** Probes in a row that found nothing listening, while nothing ever answered. */
  let notListening = 0;
  let answered = false;
  let runningSince: number | null = null;
  const notReady = (reason: string, exitCode?: number): Readiness => ({
    ready: false,
    reason,
    hostPort,
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(lastProbe === undefined ? {} : { lastProbe }),
  });
  const ready = (): Readiness => ({ ready: true, hostPort, ...(lastProbe === undefined ? {} : { lastProbe }) });
  const cancelled = (): Readiness => ({ ...notReady("was cancelled"), cancelled: true }) as Readiness;
  for (;;) {
    if (target.signal?.aborted) return cancelled();
    const info = await inspectContainer(api, target.containerId);
    if (info === null) return notReady("disappeared before it became ready");
    const state = info.State;
    if (state.Status === "exited" || state.Status === "dead" || state.Restarting) {
      return notReady(`exited with code ${state.ExitCode}`, state.ExitCode);
    }
    if ((info.RestartCount ?? 0) > 0) return notReady(`exited and was restarted ${info.RestartCount} time(s)`);
    if (state.Running) {
      if (target.containerPort !== undefined) {
        hostPort = publishedHostPort(info, target.containerPort, target.skipHostPorts);
        if (hostPort === null) return notReady(`is running but publishes no host port for ${target.containerPort}/tcp`);
      }
      if (gate.kind === "docker") {
        const health = (state as { Health?: Health }).Health;
        lastProbe = lastHealthLog(health) ?? lastProbe;
        if (health?.Status === "healthy") return ready();
        if (health?.Status === "unhealthy")
          return notReady(`is unhealthy (image HEALTHCHECK failed ${health.FailingStreak ?? "?"} time(s) in a row)`);
      } else if (gate.kind === "running") {
        // From the engine's StartedAt (a container adopted by reconcile has been running a while),
        // never later than now.
        runningSince ??= Math.min(Date.now(), Date.parse(state.StartedAt) || Date.now());
        const ranMs = Date.now() - runningSince;
        lastProbe = `running for ${secondsOf(ranMs)} s without a restart`;
        if (ranMs >= gate.stableMs) return ready();
      } else {
        const result = await probe(api, info, gate);
        lastProbe = result.detail;
        if (result.outcome === "ok") return ready();
        if (result.outcome !== "not-listening") answered = true;
        notListening = answered ? 0 : notListening + 1;
        const inStartPeriod = Date.now() - begun < gate.startPeriodMs;
        if (result.outcome !== "failed") failures = 0;
        else if (!inStartPeriod) failures += 1;
        if (failures >= gate.retries) return notReady(`failed ${failures} health probe(s) in a row`);
      }
    }
    if (Date.now() >= deadline) return notReady(deadlineReason(gate, timeoutMs));
    try {
      await sleep(pollMs(gate, notListening), undefined, target.signal ? { signal: target.signal } : {});
    } catch (err) {
      if (!target.signal?.aborted) throw err;
      return cancelled();
    }
  }
}
