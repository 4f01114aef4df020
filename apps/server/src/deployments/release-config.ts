import type { Db, Service } from "@berth/db";
import type { HostAccess } from "@berth/engine";
import { getSettings } from "../instance/settings.ts";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import type { SealedBox } from "../secrets/sealed-box.ts";
import { readStoredRuntime, resolveStrategy, type StoredRuntime } from "../services/runtime-settings.ts";

export interface ReleaseVolume {
  name: string;
  mountPath: string;
  readOnly: boolean;
  hostPath: string | null;
}

/**
 * What a release runs besides its image: the whole runtime configuration, captured at enqueue
 * and copied into the Release, so a rollback restores exactly this. Limits are the effective
 * ones (the instance's defaults filled in where the service set none).
 */
export interface ReleaseConfig {
  kind: "web" | "worker" | "tcp";
  containerPort: number | null;
  env: Record<string, string>;
  runtime: StoredRuntime;
  replicas: number;
  strategy: "start_first" | "stop_first";
  volumes: ReleaseVolume[];
  /** Powers over the host a compose stack gave the service (the instance owner allowed them); absent: none. */
  hostAccess?: HostAccess;
}

/** How a ReleaseConfig is stored (deployment.config, release.config): the environment sealed. */
export type StoredReleaseConfig = Omit<ReleaseConfig, "env"> & { envSealed: string };

export function sealReleaseConfig(config: ReleaseConfig, box: SealedBox): StoredReleaseConfig {
  const { env, ...rest } = config;
  return { ...rest, envSealed: box.seal(JSON.stringify(env)) };
}

function stringRecord(value: unknown): Record<string, string> {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

function readVolumes(value: unknown): ReleaseVolume[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v: unknown) => {
    if (!v || typeof v !== "object") return [];
    const o = v as Record<string, unknown>;
    if (typeof o.name !== "string" || typeof o.mountPath !== "string") return [];
    return [
      { name: o.name, mountPath: o.mountPath, readOnly: o.readOnly === true, hostPath: typeof o.hostPath === "string" ? o.hostPath : null },
    ];
  });
}

/** The volumes a stored snapshot mounts (no secret is opened for it). */
export function snapshotVolumes(json: unknown): ReleaseVolume[] {
  return json && typeof json === "object" && !Array.isArray(json) ? readVolumes((json as Record<string, unknown>).volumes) : [];
}

/**
 * Read a stored snapshot (sealed, or a plaintext one written before sealing existed; snapshots
 * from before runtime settings existed read as a single web container); null when there is
 * none. A sealed environment that does not open throws (fails closed).
 */
export function openReleaseConfig(json: unknown, box: SealedBox): ReleaseConfig | null {
  if (!json || typeof json !== "object" || Array.isArray(json)) return null;
  const value = json as Record<string, unknown>;
  const containerPort = typeof value.containerPort === "number" ? value.containerPort : null;
  const kind = value.kind === "worker" || value.kind === "tcp" ? value.kind : "web";
  if (containerPort === null && kind !== "worker") return null;
  const env = typeof value.envSealed === "string" ? stringRecord(JSON.parse(box.open(value.envSealed))) : stringRecord(value.env);
  return {
    kind,
    containerPort,
    env,
    runtime: readStoredRuntime(value.runtime),
    replicas: typeof value.replicas === "number" && value.replicas >= 1 ? value.replicas : 1,
    strategy: value.strategy === "stop_first" ? "stop_first" : "start_first",
    volumes: readVolumes(value.volumes),
    ...hostAccessOf(value.hostAccess),
  };
}

/** Only when the service has some, so other releases' snapshots (and spec hashes) stay as they were. */
function hostAccessOf(value: unknown): { hostAccess?: HostAccess } {
  return value && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length > 0
    ? { hostAccess: value as HostAccess }
    : {};
}

type ServiceForConfig = Pick<Service, "id" | "projectId" | "kind" | "containerPort" | "runtime" | "replicas" | "strategy" | "hostAccess">;

/** The service's configuration now: settings, volumes, instance default limits, run-time variables. */
export async function currentReleaseConfig(db: Db, box: SealedBox, service: ServiceForConfig): Promise<ReleaseConfig> {
  return (await releaseConfigNow(db, box, service)).config;
}

/** currentReleaseConfig, and the references among its variables that do not resolve (see env-references.ts). */
export async function releaseConfigNow(
  db: Db,
  box: SealedBox,
  service: ServiceForConfig,
): Promise<{ config: ReleaseConfig; problems: string[] }> {
  const [env, volumes, settings] = await Promise.all([
    resolveDeployEnv(db, box, { projectId: service.projectId, serviceId: service.id }),
    db.volume.findMany({
      where: { serviceId: service.id },
      orderBy: { mountPath: "asc" },
      select: { name: true, mountPath: true, readOnly: true, hostPath: true },
    }),
    getSettings(db),
  ]);
  const runtime = readStoredRuntime(service.runtime);
  const limits = {
    cpus: runtime.limits.cpus ?? settings.defaultCpus,
    memoryMb: runtime.limits.memoryMb ?? settings.defaultMemoryMb,
    pidsLimit: runtime.limits.pidsLimit ?? settings.defaultPidsLimit,
    shmMb: runtime.limits.shmMb,
  };
  const config: ReleaseConfig = {
    kind: service.kind,
    containerPort: service.kind === "worker" ? null : service.containerPort,
    env: env.runtime,
    runtime: { ...runtime, limits },
    replicas: service.replicas,
    strategy: resolveStrategy(service.strategy ?? "auto", volumes.length > 0, runtime.publish !== null),
    volumes,
    ...hostAccessOf(service.hostAccess),
  };
  return { config, problems: env.problems };
}
