/**
 * Desired state -> Docker create options. PURE: no engine access, no I/O, so it is unit
 * tested exactly. Values travel as data (Env entries, Cmd argv), never through a shell.
 */
import type { ContainerCreateOptions } from "dockerode";
import { buildReleaseLabels } from "./labels.ts";
import { buildContainerName } from "./names.ts";
import type { ReleaseSpec } from "./port.ts";

/** Published ports bind to loopback only; the reverse proxy on the host reaches them there. */
export const PUBLISH_HOST_IP = "127.0.0.1";

export const RESTART_POLICY = "unless-stopped";
export const LOG_MAX_SIZE = "10m";
export const LOG_MAX_FILE = "3";

/** Docker's key for a TCP container port, e.g. "8080/tcp". */
export function tcpPortKey(containerPort: number): string {
  return `${containerPort}/tcp`;
}

/** Env as KEY=VALUE entries, sorted by key so the same spec always gives the same options. */
export function buildEnv(env: Record<string, string>): string[] {
  return Object.keys(env)
    .sort()
    .map((key) => `${key}=${env[key] ?? ""}`);
}

/** Create options for a release's container (name included; the adapter sends it as a query parameter). */
export function buildContainerSpec(spec: ReleaseSpec): ContainerCreateOptions {
  const portKey = tcpPortKey(spec.containerPort);
  const options: ContainerCreateOptions = {
    name: buildContainerName({
      serviceName: spec.serviceName,
      serviceId: spec.owner.serviceId,
      deploymentId: spec.deploymentId,
    }),
    Image: spec.image,
    Env: buildEnv(spec.env),
    Labels: buildReleaseLabels(spec.owner, spec.deploymentId),
    ExposedPorts: { [portKey]: {} },
    HostConfig: {
      PortBindings: { [portKey]: [{ HostIp: PUBLISH_HOST_IP, HostPort: "" }] },
      RestartPolicy: { Name: RESTART_POLICY },
      Init: true,
      LogConfig: { Type: "json-file", Config: { "max-size": LOG_MAX_SIZE, "max-file": LOG_MAX_FILE } },
    },
  };
  if (spec.command !== undefined) options.Cmd = [...spec.command];
  return options;
}
