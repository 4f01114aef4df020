/**
 * A release's configuration -> the engine's ReleaseSpec. PURE (unit-tested): the deployment
 * worker and the reconciler build the containers of a release from exactly this.
 */
import type { HealthCheckSpec, ReleaseSpec, VolumeMount } from "@berth/engine";
import { parseStatusRange, type StoredRuntime } from "../services/runtime-settings.ts";
import type { ReleaseConfig } from "./release-config.ts";

export interface ReleaseTarget {
  service: { id: string; name: string };
  project: { id: string; name: string; teamId: string };
  deploymentId: string;
  image: string;
  /** One fixed loopback port per replica for the edge proxy (web services behind it). */
  upstreamPorts?: number[];
}

const MIB = 1024 * 1024;

/** A project's name as a DNS label for the `<service>.<project>.internal` alias. PURE. */
export function projectSlug(name: string, projectId: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
  return slug === "" ? `p-${projectId.slice(0, 8)}` : slug;
}

/** The names a service answers to inside its project's network. PURE. */
export function internalNames(serviceName: string, project: { id: string; name: string }): { name: string; alias: string } {
  return { name: serviceName, alias: `${serviceName}.${projectSlug(project.name, project.id)}.internal` };
}

function healthCheckOf(config: ReleaseConfig): HealthCheckSpec | undefined {
  const hc = config.runtime.healthCheck;
  const timing = {
    intervalMs: hc.intervalS * 1000,
    timeoutMs: hc.timeoutS * 1000,
    retries: hc.retries,
    startPeriodMs: hc.startPeriodS * 1000,
  };
  switch (hc.type) {
    case "http":
      return { type: "http", path: hc.path, expectStatus: parseStatusRange(hc.expectStatus) ?? { min: 200, max: 399 }, ...timing };
    case "tcp":
      return { type: "tcp", ...timing };
    case "command":
      return hc.command === null ? undefined : { type: "command", command: hc.command, ...timing };
    default:
      // Workers without a health command: ready once they ran this long without a restart.
      return config.kind === "worker" ? { type: "running", stableMs: config.runtime.workerStableS * 1000 } : undefined;
  }
}

function volumesOf(config: ReleaseConfig): VolumeMount[] {
  return config.volumes.map((v) =>
    v.hostPath === null
      ? { type: "volume", name: v.name, target: v.mountPath, readOnly: v.readOnly }
      : { type: "bind", source: v.hostPath, target: v.mountPath, readOnly: v.readOnly },
  );
}

function resourcesOf(limits: StoredRuntime["limits"]): ReleaseSpec["resources"] {
  const r: NonNullable<ReleaseSpec["resources"]> = {};
  if (limits.cpus !== null) r.cpus = limits.cpus;
  if (limits.memoryMb !== null) r.memoryBytes = limits.memoryMb * MIB;
  if (limits.pidsLimit !== null) r.pidsLimit = limits.pidsLimit;
  return r;
}

export function buildReleaseSpec(target: ReleaseTarget, config: ReleaseConfig): ReleaseSpec {
  const { runtime } = config;
  const names = internalNames(target.service.name, target.project);
  const spec: ReleaseSpec = {
    owner: { teamId: target.project.teamId, projectId: target.project.id, serviceId: target.service.id },
    deploymentId: target.deploymentId,
    serviceName: target.service.name,
    image: target.image,
    env: config.env,
    // Every service joins its project's private network; never the engine's default bridge.
    // Its own name is the engine's alias; then the internal one, then the names the user gave.
    network: { scope: "project", aliases: [names.alias, ...runtime.aliases] },
    replicas: config.replicas,
    resources: resourcesOf(runtime.limits),
    restartPolicy: runtime.restartPolicy === "on-failure" ? { name: "on-failure", maxRetries: 5 } : { name: runtime.restartPolicy },
  };
  if (config.kind !== "worker" && config.containerPort !== null) spec.containerPort = config.containerPort;
  if (runtime.command !== null) spec.command = runtime.command;
  if (runtime.entrypoint !== null) spec.entrypoint = runtime.entrypoint;
  if (runtime.limits.shmMb !== null) spec.shmSizeBytes = runtime.limits.shmMb * MIB;
  if (runtime.ulimits.length > 0) spec.ulimits = runtime.ulimits.map((u) => ({ ...u }));
  if (runtime.user !== null) spec.user = runtime.user;
  if (runtime.workingDir !== null) spec.workingDir = runtime.workingDir;
  // Only when set, so releases without labels keep their spec hash.
  if (Object.keys(runtime.labels).length > 0) spec.labels = { ...runtime.labels };
  const volumes = volumesOf(config);
  if (volumes.length > 0) spec.volumes = volumes;
  const healthCheck = healthCheckOf(config);
  if (healthCheck !== undefined) spec.healthCheck = healthCheck;
  if (config.kind === "tcp" && runtime.publish !== null && config.containerPort !== null) {
    spec.ports = [{ containerPort: config.containerPort, hostIp: runtime.publish.bindAddress, hostPort: runtime.publish.hostPort }];
  }
  if (config.kind === "web" && target.upstreamPorts !== undefined) spec.primaryHostPorts = target.upstreamPorts.slice(0, config.replicas);
  if (config.hostAccess !== undefined) {
    spec.hostAccess = config.hostAccess;
    // The host's network instead of the project's (a worker: the import refused its ports).
    if (config.hostAccess.hostNamespaces?.includes("network")) delete spec.network;
  }
  return spec;
}
