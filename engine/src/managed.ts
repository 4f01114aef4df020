/**
 * Inspect data -> ManagedContainer. PURE. Returns null for anything Berth does not own,
 * so callers can never report (or act on) a foreign container by accident.
 */
import type { ContainerInspectInfo } from "dockerode";
import { parseDeploymentLabel, parseOwnerLabels } from "./labels.ts";
import { displayName } from "./names.ts";
import type { ContainerState, ManagedContainer } from "./port-types.ts";

const STATES: readonly ContainerState[] = ["created", "running", "paused", "restarting", "removing", "exited", "dead"];

export function toContainerState(status: string | undefined): ContainerState {
  return STATES.find((s) => s === status) ?? "dead";
}

type PortMap = Record<string, Array<{ HostIp?: string; HostPort?: string }> | null | undefined>;

/**
 * The host port a container port is published on (loopback binding preferred), or null
 * when it is not published (e.g. the container is stopped). Without containerPort, the
 * first published TCP port. `skipHostPorts`: extra fixed bindings of the same port to pass over.
 */
export function publishedHostPort(
  info: Pick<ContainerInspectInfo, "NetworkSettings">,
  containerPort?: number,
  skipHostPorts: readonly number[] = [],
): number | null {
  const ports = (info.NetworkSettings?.Ports ?? {}) as PortMap;
  const keys =
    containerPort === undefined
      ? Object.keys(ports)
          .filter((k) => k.endsWith("/tcp"))
          .sort()
      : [`${containerPort}/tcp`];
  for (const key of keys) {
    const bindings = (ports[key] ?? []).filter((b) => !skipHostPorts.includes(Number.parseInt(b.HostPort ?? "", 10)));
    const binding = bindings.find((b) => b.HostIp === "127.0.0.1") ?? bindings[0];
    const port = Number.parseInt(binding?.HostPort ?? "", 10);
    if (Number.isInteger(port) && port > 0) return port;
  }
  return null;
}

export function toManagedContainer(info: ContainerInspectInfo): ManagedContainer | null {
  const labels = info.Config?.Labels ?? {};
  const owner = parseOwnerLabels(labels);
  const deploymentId = parseDeploymentLabel(labels);
  if (owner === null || deploymentId === null) return null;
  return {
    containerId: info.Id,
    containerName: displayName(info.Name),
    owner,
    deploymentId,
    state: toContainerState(info.State?.Status),
    hostPort: publishedHostPort(info),
    restartCount: info.RestartCount ?? 0,
  };
}
