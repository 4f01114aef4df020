/**
 * The health gate of a new container: poll until it is running AND passes its gate (the
 * image's HEALTHCHECK, else Berth's HTTP/TCP probe), or until it exits, fails `retries`
 * probes in a row, or the deadline passes. Reports the last probe result either way.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerInspectInfo } from "dockerode";
import { inspectContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { DOCKER_HEALTH_POLL_MS, type HealthGate } from "./health-gate.ts";
import { publishedHostPort } from "./managed.ts";
import { probeHttp, probeTcp, probeTcpDirect, type ProbeResult } from "./probe.ts";

export type Readiness =
  | { ready: true; hostPort: number; lastProbe?: string }
  | { ready: false; reason: string; hostPort: number | null; exitCode?: number; lastProbe?: string; cancelled?: true };

export interface ReadinessTarget {
  containerId: string;
  containerPort: number;
  timeoutMs: number;
  gate: HealthGate;
  /** Ends the wait at once (reported as not ready, `cancelled`). */
  signal?: AbortSignal;
}

/** The container's address on its first network, when it has one. */
function containerAddress(info: ContainerInspectInfo): string | null {
  const networks = Object.values(info.NetworkSettings?.Networks ?? {});
  return networks.find((n) => n.IPAddress)?.IPAddress || null;
}

/** TCP: direct to the container when its address is reachable (exact), else via the published port. */
async function probeTcpGate(info: ContainerInspectInfo, port: number): Promise<ProbeResult> {
  const address = containerAddress(info);
  if (address) {
    const direct = await probeTcpDirect(address, port);
    if (direct === "open") return { outcome: "ok", detail: `TCP ${address}:${port}: open` };
    if (direct === "refused") return { outcome: "not-listening", detail: `TCP ${address}:${port}: refused` };
  }
  const hostPort = publishedHostPort(info, port);
  if (hostPort === null) return { outcome: "not-listening", detail: `TCP ${port}: container address unreachable and port not published` };
  const open = await probeTcp(hostPort);
  return { outcome: open ? "ok" : "not-listening", detail: `TCP 127.0.0.1:${hostPort}: ${open ? "open" : "closed"}` };
}

async function probeHttpGate(info: ContainerInspectInfo, gate: Extract<HealthGate, { kind: "http" }>): Promise<ProbeResult> {
  const address = containerAddress(info);
  const target = { path: gate.path, expect: gate.expect, timeoutMs: gate.timeoutMs };
  if (address) {
    const direct = await probeHttp({ ...target, host: address, port: gate.port });
    if (direct.outcome !== "unreachable") return direct;
  }
  const hostPort = publishedHostPort(info, gate.port);
  if (hostPort === null) return { outcome: "not-listening", detail: `HTTP ${gate.port}: container address unreachable and port not published` };
  const viaHost = await probeHttp({ ...target, host: "127.0.0.1", port: hostPort });
  return viaHost.outcome === "unreachable" ? { ...viaHost, outcome: "not-listening" } : viaHost;
}

type Health = { Status?: string; FailingStreak?: number; Log?: Array<{ ExitCode?: number; Output?: string }> };

function lastHealthLog(health: Health | undefined): string | undefined {
  const last = health?.Log?.at(-1);
  if (last === undefined) return undefined;
  return `HEALTHCHECK exit ${last.ExitCode ?? "?"}: ${(last.Output ?? "").trim().slice(0, 500)}`;
}

function secondsOf(ms: number): number {
  return Math.round(ms / 100) / 10;
}

export async function waitUntilReady(api: EngineApi, target: ReadinessTarget): Promise<Readiness> {
  const { gate } = target;
  const deadline = Date.now() + target.timeoutMs;
  let hostPort: number | null = null;
  let lastProbe: string | undefined;
  let failures = 0;
  const notReady = (reason: string, exitCode?: number): Readiness => ({
    ready: false,
    reason,
    hostPort,
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(lastProbe === undefined ? {} : { lastProbe }),
  });
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
      hostPort = publishedHostPort(info, target.containerPort);
      if (hostPort === null) return notReady(`is running but publishes no host port for ${target.containerPort}/tcp`);
      if (gate.kind === "docker") {
        const health = (state as { Health?: Health }).Health;
        lastProbe = lastHealthLog(health) ?? lastProbe;
        if (health?.Status === "healthy") return { ready: true, hostPort, ...(lastProbe === undefined ? {} : { lastProbe }) };
        if (health?.Status === "unhealthy") return notReady(`is unhealthy (image HEALTHCHECK failed ${health.FailingStreak ?? "?"} time(s) in a row)`);
      } else {
        const result = gate.kind === "http" ? await probeHttpGate(info, gate) : await probeTcpGate(info, gate.port);
        lastProbe = result.detail;
        if (result.outcome === "ok") return { ready: true, hostPort, lastProbe };
        failures = result.outcome === "failed" ? failures + 1 : 0;
        if (failures >= gate.retries) return notReady(`failed ${failures} health probe(s) in a row`);
      }
    }
    if (Date.now() >= deadline) {
      const what = gate.kind === "docker" ? "become healthy" : gate.kind === "http" ? `pass its HTTP health check on port ${gate.port}` : `accept connections on port ${gate.port}`;
      return notReady(`did not ${what} within ${secondsOf(target.timeoutMs)} s`);
    }
    try {
      await sleep(gate.kind === "docker" ? DOCKER_HEALTH_POLL_MS : gate.intervalMs, undefined, target.signal ? { signal: target.signal } : {});
    } catch (err) {
      if (!target.signal?.aborted) throw err;
      return cancelled();
    }
  }
}
