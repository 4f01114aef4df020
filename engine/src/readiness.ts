/**
 * The health gate of a new release: poll until the container is running AND its published
 * port accepts connections, or until it exits or the deadline passes.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerInspectInfo } from "dockerode";
import { inspectContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { publishedHostPort } from "./managed.ts";
import { probeTcp, probeTcpDirect } from "./probe.ts";

export const POLL_INTERVAL_MS = 50;

export type Readiness =
  | { ready: true; hostPort: number }
  | { ready: false; reason: string; hostPort: number | null; exitCode?: number };

export interface ReadinessTarget {
  containerId: string;
  containerPort: number;
  timeoutMs: number;
}

/** The container's address on its first network, when it has one. */
function containerAddress(info: ContainerInspectInfo): string | null {
  const networks = Object.values(info.NetworkSettings?.Networks ?? {});
  return networks.find((n) => n.IPAddress)?.IPAddress || null;
}

/** Direct to the container when its address is reachable (exact, no settle wait); else via the published port. */
async function acceptsConnections(info: ContainerInspectInfo, containerPort: number, hostPort: number): Promise<boolean> {
  const address = containerAddress(info);
  if (address) {
    const direct = await probeTcpDirect(address, containerPort);
    if (direct !== "unreachable") return direct === "open";
  }
  return probeTcp(hostPort);
}

export async function waitUntilReady(api: EngineApi, target: ReadinessTarget): Promise<Readiness> {
  const deadline = Date.now() + target.timeoutMs;
  let hostPort: number | null = null;
  for (;;) {
    const info = await inspectContainer(api, target.containerId);
    if (info === null) return { ready: false, reason: "disappeared before it became ready", hostPort };
    const state = info.State;
    if (state.Status === "exited" || state.Status === "dead" || state.Restarting) {
      return { ready: false, reason: `exited with code ${state.ExitCode}`, hostPort, exitCode: state.ExitCode };
    }
    if ((info.RestartCount ?? 0) > 0) {
      return { ready: false, reason: `exited and was restarted ${info.RestartCount} time(s)`, hostPort };
    }
    if (state.Running) {
      hostPort = publishedHostPort(info, target.containerPort);
      if (hostPort === null) {
        return { ready: false, reason: `is running but publishes no host port for ${target.containerPort}/tcp`, hostPort };
      }
      if (await acceptsConnections(info, target.containerPort, hostPort)) return { ready: true, hostPort };
    }
    if (Date.now() >= deadline) {
      const seconds = Math.round(target.timeoutMs / 100) / 10;
      const reason = `did not accept connections on port ${target.containerPort} within ${seconds} s`;
      return { ready: false, reason, hostPort };
    }
    await sleep(POLL_INTERVAL_MS);
  }
}
