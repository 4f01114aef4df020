/**
 * Desired state -> a Swarm ServiceSpec. PURE, unit-tested exactly. A Berth service is one
 * Swarm service (stable name) whose releases are rolling updates: start-first, one task at a
 * time, rollback on failure. Traffic goes over an attachable overlay network with DNS
 * round-robin (the ingress routing mesh and VIPs need IPVS, which test hosts lack).
 */
import { buildEnv, buildMounts } from "../container-spec.ts";
import { buildResourceLabels, LABEL_DEPLOYMENT, LABEL_SPEC_HASH, LABEL_VOLUME } from "../labels.ts";
import { buildNetworkName } from "../names.ts";
import type { ReleaseSpec } from "../port-types.ts";
import { specHash } from "../spec-hash.ts";
import type { HealthCheckSpec, RestartPolicySpec } from "../spec-types.ts";

const MS = 1_000_000; // nanoseconds per millisecond
export const SWARM_HEALTH_INTERVAL_MS = 500;
export const SWARM_UPDATE_MONITOR_MS = 2_000;

/** `berth-<service>-<sid8>`: one Swarm service per Berth service, across releases. */
export function buildSwarmServiceName(spec: Pick<ReleaseSpec, "serviceName" | "owner">): string {
  return `berth-${spec.serviceName}-${spec.owner.serviceId.slice(0, 8)}`;
}

/** The project's attachable overlay network, `berth-o-<projectId>`. */
export function buildOverlayNetworkName(projectId: string): string {
  return buildNetworkName("project", projectId).replace(/^berth-p-/, "berth-o-");
}

export interface SwarmHealthcheck {
  Test: string[];
  Interval: number;
  Timeout: number;
  Retries: number;
  StartPeriod: number;
}

/**
 * A TCP connect in the task, whatever it has: `nc -z` (netcat-openbsd, full busybox), busybox's
 * small nc (no -z; with stdin at EOF it connects and exits 0, refused exits 1), else bash's
 * /dev/tcp (Debian-based images such as postgres or mariadb have no nc). A closed port fails all
 * three at once. The port is a number, never user text.
 */
export function tcpProbe(port: number): string {
  return `nc -z 127.0.0.1 ${port} 2>/dev/null || nc 127.0.0.1 ${port} </dev/null 2>/dev/null || bash -c ': >/dev/tcp/127.0.0.1/${port}'`;
}

/**
 * A service HTTP/TCP/command probe as a container health check (Swarm gates tasks on
 * container health; Berth cannot probe overlay addresses itself). HTTP is argv form (no shell)
 * and needs `wget` in the image; TCP needs a shell (tcpProbe). Undefined when the image's own
 * HEALTHCHECK should apply, and for a "running" check (Swarm's update monitor already fails a
 * task that exits).
 */
export function buildSwarmHealthcheck(containerPort: number | undefined, check: HealthCheckSpec | undefined): SwarmHealthcheck | undefined {
  if (check === undefined || check.type === "running") return undefined;
  let Test: string[];
  if (check.type === "command") Test = ["CMD", ...check.command];
  else {
    const port = check.port ?? containerPort;
    if (port === undefined) return undefined; // refused by validation: an HTTP/TCP check needs a port
    Test =
      check.type === "http"
        ? ["CMD", "wget", "-q", "-O", "/dev/null", `http://127.0.0.1:${port}${check.path}`]
        : ["CMD-SHELL", tcpProbe(Number(port))];
  }
  return {
    Test,
    Interval: (check.intervalMs ?? SWARM_HEALTH_INTERVAL_MS) * MS,
    Timeout: (check.timeoutMs ?? 2_000) * MS,
    Retries: check.retries ?? 3,
    StartPeriod: (check.startPeriodMs ?? 0) * MS,
  };
}

export function buildSwarmRestartPolicy(policy: RestartPolicySpec | undefined): { Condition: string; MaxAttempts?: number } {
  if (policy === undefined) return { Condition: "any" };
  if (policy.name !== "on-failure") return { Condition: policy.name === "no" ? "none" : "any" };
  return { Condition: "on-failure", ...(policy.maxRetries === undefined ? {} : { MaxAttempts: policy.maxRetries }) };
}

export interface SwarmServiceOptions {
  /** SIGTERM grace before a task is killed (seconds). */
  graceSeconds: number;
  /** Update order: start-first (the default: the new task runs beside the old one) or stop-first (one data directory). */
  order?: "start-first" | "stop-first";
}

/**
 * Mounts of a Swarm task: named volumes (`berth-<projectId>-<name>`, as on a single server) carry
 * Berth's labels in VolumeOptions, so the node that runs the task creates them labelled (a
 * service with volumes is pinned to one node: node.id==<id>).
 */
export function buildSwarmMounts(spec: Pick<ReleaseSpec, "owner" | "volumes" | "shmSizeBytes">) {
  const volumes = spec.volumes ?? [];
  const mounts: object[] = buildMounts(spec.owner.projectId, volumes).map((m, i) => {
    const v = volumes[i]!;
    if (v.type !== "volume") return m;
    const labels = buildResourceLabels({ teamId: spec.owner.teamId, projectId: spec.owner.projectId }, { [LABEL_VOLUME]: v.name });
    return { ...m, VolumeOptions: { Labels: labels } };
  });
  // A Swarm service has no ShmSize: a tmpfs of that size over /dev/shm does the same.
  if (spec.shmSizeBytes !== undefined) mounts.push({ Type: "tmpfs", Target: "/dev/shm", TmpfsOptions: { SizeBytes: spec.shmSizeBytes } });
  return mounts;
}

export function buildSwarmServiceSpec(spec: ReleaseSpec, options: SwarmServiceOptions) {
  const labels = {
    ...spec.labels,
    ...buildResourceLabels(spec.owner),
    [LABEL_DEPLOYMENT]: spec.deploymentId,
    [LABEL_SPEC_HASH]: specHash(spec),
  };
  const healthcheck = buildSwarmHealthcheck(spec.containerPort, spec.healthCheck);
  const limits: { NanoCPUs?: number; MemoryBytes?: number; Pids?: number } = {};
  if (spec.resources?.cpus !== undefined) limits.NanoCPUs = Math.round(spec.resources.cpus * 1e9);
  if (spec.resources?.memoryBytes !== undefined) limits.MemoryBytes = spec.resources.memoryBytes;
  if (spec.resources?.pidsLimit !== undefined) limits.Pids = spec.resources.pidsLimit;
  const update = {
    Parallelism: 1,
    Delay: 0,
    FailureAction: "rollback",
    Monitor: SWARM_UPDATE_MONITOR_MS * MS,
    MaxFailureRatio: 0,
    Order: options.order ?? "start-first",
  };
  return {
    Name: buildSwarmServiceName(spec),
    Labels: labels,
    TaskTemplate: {
      ContainerSpec: {
        Image: spec.image,
        Labels: labels,
        Env: buildEnv(spec.env),
        ...(spec.entrypoint === undefined ? {} : { Command: [...spec.entrypoint] }),
        ...(spec.command === undefined ? {} : { Args: [...spec.command] }),
        ...(spec.user === undefined ? {} : { User: spec.user }),
        ...(spec.workingDir === undefined ? {} : { Dir: spec.workingDir }),
        ...(spec.ulimits === undefined || spec.ulimits.length === 0
          ? {}
          : { Ulimits: spec.ulimits.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })) }),
        ...((spec.volumes === undefined || spec.volumes.length === 0) && spec.shmSizeBytes === undefined
          ? {}
          : { Mounts: buildSwarmMounts(spec) }),
        ...(healthcheck === undefined ? {} : { Healthcheck: healthcheck }),
        Init: true,
        StopGracePeriod: options.graceSeconds * 1_000 * MS,
      },
      Resources: { Limits: limits },
      RestartPolicy: buildSwarmRestartPolicy(spec.restartPolicy),
      ...(spec.placementConstraints === undefined || spec.placementConstraints.length === 0
        ? {}
        : { Placement: { Constraints: [...spec.placementConstraints] } }),
      Networks: [{ Target: buildOverlayNetworkName(spec.owner.projectId), Aliases: [spec.serviceName, ...(spec.network?.aliases ?? [])] }],
    },
    Mode: { Replicated: { Replicas: spec.replicas ?? 1 } },
    UpdateConfig: update,
    RollbackConfig: { ...update, FailureAction: "pause" },
    EndpointSpec: { Mode: "dnsrr" },
  };
}

export type SwarmServiceSpec = ReturnType<typeof buildSwarmServiceSpec>;
