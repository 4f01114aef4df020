/**
 * Desired state -> Docker create options. PURE: no engine access, no I/O, so it is unit
 * tested exactly. Values travel as data (Env entries, Cmd argv, Mounts), never through a shell.
 */
import type { ContainerCreateOptions, HostConfig, MountConfig } from "dockerode";
import { buildReleaseLabels, LABEL_REPLICA, LABEL_SPEC_HASH } from "./labels.ts";
import { buildContainerName, buildNetworkName, buildVolumeName } from "./names.ts";
import type { HostAccess, ReleaseSpec } from "./port-types.ts";
import { specHash } from "./spec-hash.ts";
import type { RestartPolicySpec, VolumeMount } from "./spec-types.ts";

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

type Bindings = Record<string, Array<{ HostIp: string; HostPort: string }>>;

/** The fixed host port of one replica's primary port, or "" for a random one. */
function primaryHostPortOf(spec: Pick<ReleaseSpec, "primaryHostPort" | "primaryHostPorts">, replica: number): string {
  const fixed = spec.primaryHostPorts?.[replica] ?? spec.primaryHostPort;
  return fixed === undefined ? "" : String(fixed);
}

/**
 * Exposed ports and their bindings: the primary port (when there is one) on 127.0.0.1 --
 * random, or primaryHostPort / primaryHostPorts[replica] -- then the extras. An extra for the
 * primary port adds a second binding (e.g. 0.0.0.0:5432 for a database's clients).
 */
export function buildPorts(
  spec: Pick<ReleaseSpec, "containerPort" | "ports" | "primaryHostPort" | "primaryHostPorts" | "publishHostIp">,
  replica = 0,
): { exposed: Record<string, object>; bindings: Bindings } {
  const exposed: Record<string, object> = {};
  const bindings: Bindings = {};
  if (spec.containerPort !== undefined) {
    const primary = tcpPortKey(spec.containerPort);
    exposed[primary] = {};
    bindings[primary] = [{ HostIp: spec.publishHostIp ?? PUBLISH_HOST_IP, HostPort: primaryHostPortOf(spec, replica) }];
  }
  for (const p of spec.ports ?? []) {
    const key = `${p.containerPort}/${p.protocol ?? "tcp"}`;
    exposed[key] = {};
    // The primary port may be published once more (e.g. a database on a fixed host port): Docker
    // takes several bindings per port, and the loopback one the proxy and the gate use stays first.
    bindings[key] = [
      ...(bindings[key] ?? []),
      { HostIp: p.hostIp ?? PUBLISH_HOST_IP, HostPort: p.hostPort === undefined ? "" : String(p.hostPort) },
    ];
  }
  return { exposed, bindings };
}

/** Fixed host ports the primary port is published on besides its own binding (extra `ports` entries). */
export function extraPrimaryHostPorts(spec: Pick<ReleaseSpec, "containerPort" | "ports">): number[] {
  return (spec.ports ?? []).flatMap((p) =>
    p.containerPort === spec.containerPort && (p.protocol ?? "tcp") === "tcp" && p.hostPort !== undefined ? [p.hostPort] : [],
  );
}

export function buildMounts(projectId: string, volumes: VolumeMount[]): MountConfig {
  return volumes.map((v) => ({
    Type: v.type,
    Source: v.type === "volume" ? buildVolumeName(projectId, v.name) : v.source,
    Target: v.target,
    ReadOnly: v.readOnly === true,
  }));
}

export function buildRestartPolicy(policy: RestartPolicySpec | undefined): HostConfig["RestartPolicy"] {
  if (policy === undefined) return { Name: RESTART_POLICY };
  if (policy.name === "on-failure") return { Name: "on-failure", MaximumRetryCount: policy.maxRetries ?? 0 };
  return { Name: policy.name };
}

/** The network a release joins, or null for the engine's default bridge. */
export function releaseNetworkName(spec: Pick<ReleaseSpec, "network" | "owner">): string | null {
  if (spec.network === undefined) return null;
  return spec.network.scope === "project"
    ? buildNetworkName("project", spec.owner.projectId)
    : buildNetworkName("service", spec.owner.serviceId);
}

function buildHostConfig(spec: ReleaseSpec, network: string | null, replica: number): HostConfig {
  const host: HostConfig = {
    PortBindings: buildPorts(spec, replica).bindings,
    RestartPolicy: buildRestartPolicy(spec.restartPolicy),
    Init: true,
    LogConfig: { Type: "json-file", Config: { "max-size": LOG_MAX_SIZE, "max-file": LOG_MAX_FILE } },
  };
  if (spec.resources?.cpus !== undefined) host.NanoCpus = Math.round(spec.resources.cpus * 1e9);
  if (spec.resources?.memoryBytes !== undefined) {
    host.Memory = spec.resources.memoryBytes;
    host.MemorySwap = spec.resources.memoryBytes;
  }
  if (spec.resources?.pidsLimit !== undefined) host.PidsLimit = spec.resources.pidsLimit;
  if (spec.shmSizeBytes !== undefined) host.ShmSize = spec.shmSizeBytes;
  if (spec.ulimits !== undefined && spec.ulimits.length > 0)
    host.Ulimits = spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard }));
  if (spec.volumes !== undefined && spec.volumes.length > 0) host.Mounts = buildMounts(spec.owner.projectId, spec.volumes);
  if (network !== null) host.NetworkMode = network;
  if (spec.hostAccess !== undefined) Object.assign(host, hostAccessConfig(spec.hostAccess));
  return host;
}

/** The HostConfig of the powers the instance owner allowed (validate-spec.ts checked their shape). */
function hostAccessConfig(access: HostAccess): Partial<HostConfig> {
  const shared = new Set(access.hostNamespaces ?? []);
  const config: Partial<HostConfig> = {};
  if (access.privileged === true) config.Privileged = true;
  if (access.capAdd !== undefined && access.capAdd.length > 0) config.CapAdd = [...access.capAdd];
  if (access.devices !== undefined && access.devices.length > 0)
    config.Devices = access.devices.map((d) => ({
      PathOnHost: d.hostPath,
      PathInContainer: d.containerPath,
      CgroupPermissions: d.permissions,
    }));
  if (access.securityOpt !== undefined && access.securityOpt.length > 0) config.SecurityOpt = [...access.securityOpt];
  if (shared.has("network")) config.NetworkMode = "host";
  if (shared.has("pid")) config.PidMode = "host";
  if (shared.has("ipc")) config.IpcMode = "host";
  if (shared.has("uts")) config.UTSMode = "host";
  return config;
}

/** Create options for one replica of a release (name included; the adapter sends it as a query parameter). */
export function buildContainerSpec(spec: ReleaseSpec, replica = 0): ContainerCreateOptions {
  const network = releaseNetworkName(spec);
  const options: ContainerCreateOptions = {
    name: buildContainerName({
      serviceName: spec.serviceName,
      serviceId: spec.owner.serviceId,
      deploymentId: spec.deploymentId,
      replica,
    }),
    Image: spec.image,
    Env: buildEnv(spec.env),
    Labels: {
      ...spec.labels,
      ...buildReleaseLabels(spec.owner, spec.deploymentId),
      [LABEL_REPLICA]: String(replica),
      [LABEL_SPEC_HASH]: specHash(spec),
    },
    ExposedPorts: buildPorts(spec, replica).exposed,
    HostConfig: buildHostConfig(spec, network, replica),
  };
  if (spec.command !== undefined) options.Cmd = [...spec.command];
  if (spec.entrypoint !== undefined) options.Entrypoint = [...spec.entrypoint];
  if (spec.user !== undefined) options.User = spec.user;
  if (spec.workingDir !== undefined) options.WorkingDir = spec.workingDir;
  if (network !== null)
    options.NetworkingConfig = { EndpointsConfig: { [network]: { Aliases: [spec.serviceName, ...(spec.network?.aliases ?? [])] } } };
  return options;
}

/**
 * The in-place update (POST /containers/{id}/update) that gives a container the spec's limits
 * and restart policy. 0 leaves a CPU, memory or PID limit as it is (the engine cannot lift
 * one in place), so lifting a limit needs a new container (limits-drift.ts).
 */
export function buildContainerUpdate(spec: Pick<ReleaseSpec, "resources" | "restartPolicy">): {
  NanoCpus: number;
  Memory: number;
  MemorySwap: number;
  PidsLimit: number;
  RestartPolicy: HostConfig["RestartPolicy"];
} {
  const memory = spec.resources?.memoryBytes ?? 0;
  return {
    NanoCpus: spec.resources?.cpus === undefined ? 0 : Math.round(spec.resources.cpus * 1e9),
    Memory: memory,
    // Memory 0 leaves the memory limit as it is; MemorySwap must then not be set either.
    MemorySwap: memory === 0 ? 0 : memory,
    PidsLimit: spec.resources?.pidsLimit ?? 0,
    RestartPolicy: buildRestartPolicy(spec.restartPolicy),
  };
}
