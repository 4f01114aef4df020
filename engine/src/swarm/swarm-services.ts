/**
 * Swarm mode: when the engine is a Swarm manager, a Berth service is a Swarm service
 * updated start-first with rollback on failure, gated on container health, reached over the
 * project's attachable overlay network by its service name (DNS round-robin).
 * ensureSwarmService is idempotent (spec-hash label) and touches only Berth-labelled services.
 */
import { assertSafeBindMounts } from "../bind-sources.ts";
import type { EngineApi } from "../engine-api.ts";
import { EngineError, isEngineError } from "../errors.ts";
import { DEFAULT_PULL_TIMEOUT_MS, ensureImage, imageHealthcheck } from "../images.ts";
import { imageHasShell } from "../image-shell.ts";
import { isManagedByBerth, LABEL_DEPLOYMENT, LABEL_SPEC_HASH, managedFilters } from "../labels.ts";
import { ensureNetwork } from "../networks.ts";
import type { ReleaseSpec } from "../port-types.ts";
import { buildAuthConfig, type RegistryAuth } from "../registry-auth.ts";
import { specHash } from "../spec-hash.ts";
import { assertValidGrace, assertValidReleaseSpec } from "../validate.ts";
import { buildOverlayNetworkName, buildSwarmServiceName, buildSwarmServiceSpec } from "./service-spec.ts";
import {
  inspectService,
  listTasks,
  OPERATION,
  postService,
  type ServiceInfo,
  type TaskInfo,
  waitForTasks,
  waitForUpdate,
} from "./swarm-waits.ts";

export const DEFAULT_SWARM_TIMEOUT_MS = 90_000;

export interface SwarmReleaseOptions {
  graceSeconds?: number;
  /** How long creation or an update may take to converge (default 90 s). */
  readyTimeoutMs?: number;
  registryAuth?: RegistryAuth;
  /** Stop waiting: a new service is removed, an update rolled back to the previous spec. */
  signal?: AbortSignal;
  /**
   * Asked once `signal` stopped an update: false when its rollback cannot complete now (the one
   * node its tasks may run on is lost), so the rollback is requested, not waited for. Default: waited for (bounded).
   */
  awaitRollback?: () => boolean;
  /** Update order (default start-first); stop-first for a service whose one task owns a data directory. */
  order?: "start-first" | "stop-first";
}

export interface SwarmRelease {
  swarmServiceId: string;
  name: string;
  /** The overlay network the router joins to reach `serviceName:containerPort`. */
  network: string;
  changed: boolean;
}

/** One task of a Berth Swarm service: where it runs (node id), its state and the release it runs. */
export interface SwarmTask {
  id: string;
  nodeId: string | null;
  slot: number | null;
  state: string;
  desiredState: string;
  /** The task's error (e.g. "no suitable node ..."), else its status message. */
  error: string | null;
  message: string | null;
  deploymentId: string | null;
  updatedAt: string | null;
}

export async function isSwarmManager(api: EngineApi): Promise<boolean> {
  const info = await api.call("engine info", api.target, (abortSignal) =>
    api.dial<{ Swarm?: { LocalNodeState?: string; ControlAvailable?: boolean } }>({
      path: "/info",
      method: "GET",
      abortSignal,
      statusCodes: { 200: true, 500: "server error" },
    }),
  );
  return info.Swarm?.LocalNodeState === "active" && info.Swarm.ControlAvailable === true;
}

async function prepare(api: EngineApi, spec: ReleaseSpec, options: SwarmReleaseOptions): Promise<string> {
  assertValidReleaseSpec(spec, OPERATION);
  // Checked on this host: a task scheduled on another node would mount that node's path.
  await assertSafeBindMounts(api, spec, OPERATION);
  assertValidGrace(options.graceSeconds ?? 10, OPERATION);
  if (spec.ports !== undefined && spec.ports.length > 0) {
    throw new EngineError({
      code: "INVALID",
      operation: OPERATION,
      resource: spec.serviceName,
      message: `${OPERATION}: Swarm services are reached over the overlay network; extra published ports are not supported`,
    });
  }
  if (!(await isSwarmManager(api))) {
    throw new EngineError({
      code: "CONFLICT",
      operation: OPERATION,
      resource: api.target,
      message: `${OPERATION}: the engine at ${api.target} is not a Swarm manager`,
    });
  }
  await ensureImage(api, spec.image, { timeoutMs: DEFAULT_PULL_TIMEOUT_MS, auth: options.registryAuth });
  const network = buildOverlayNetworkName(spec.owner.projectId);
  await ensureNetwork(api, { name: network, scope: "project", owner: spec.owner, driver: "overlay" });
  // Named volumes are created by the node that runs the task, labelled from the spec's
  // VolumeOptions (buildSwarmMounts): never here on the manager, which may be another node.
  return network;
}

/**
 * The health check Swarm gates on: the spec's, else the image's own HEALTHCHECK, else -- a
 * service with a port -- TCP on that port, as Berth's own gate does on a single server (without
 * one, Swarm would call a task running as soon as its process started). The TCP probe runs in the
 * task through /bin/sh: an image without a shell (scratch, distroless) is gated on its task
 * running instead, as a "running" check is, rather than never turning healthy.
 */
async function withDefaultHealthcheck(api: EngineApi, spec: ReleaseSpec): Promise<ReleaseSpec> {
  if (spec.healthCheck !== undefined || spec.containerPort === undefined) return spec;
  if (await imageHealthcheck(api, spec.image)) return spec;
  if (!(await imageHasShell(api, spec.image))) return spec;
  return { ...spec, healthCheck: { type: "tcp" } };
}

export async function ensureSwarmService(api: EngineApi, given: ReleaseSpec, options: SwarmReleaseOptions = {}): Promise<SwarmRelease> {
  const network = await prepare(api, given, options);
  const spec = await withDefaultHealthcheck(api, given);
  const name = buildSwarmServiceName(spec);
  const desired = buildSwarmServiceSpec(spec, {
    graceSeconds: options.graceSeconds ?? 10,
    ...(options.order ? { order: options.order } : {}),
  });
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_SWARM_TIMEOUT_MS;
  const authconfig = options.registryAuth ? buildAuthConfig(spec.image, options.registryAuth) : undefined;
  const existing = await inspectService(api, name);
  if (existing === null) {
    const created = await postService(api, "/services/create?", name, {}, desired, authconfig);
    try {
      await waitForTasks(api, name, spec.replicas ?? 1, timeoutMs, options.signal);
    } catch (err) {
      // Never healthy and nothing served before: remove it rather than leave it crash-looping.
      await removeByName(api, name);
      throw err;
    }
    return { swarmServiceId: created.ID ?? name, name, network, changed: true };
  }
  if (!isManagedByBerth(existing.Spec.Labels)) {
    throw new EngineError({
      code: "CONFLICT",
      operation: OPERATION,
      resource: name,
      message: `${OPERATION} ${name}: a Swarm service with this name is not managed by Berth; it was left untouched`,
    });
  }
  const settled = existing.UpdateStatus?.State === undefined || existing.UpdateStatus.State === "completed";
  if (existing.Spec.Labels?.[LABEL_SPEC_HASH] === specHash(spec) && settled) {
    // The same release, scaled (a stopped service is at 0 replicas): scaling is not an update.
    const replicas = spec.replicas ?? 1;
    if ((existing.Spec.Mode?.Replicated?.Replicas ?? 1) !== replicas) await scale(api, existing, replicas);
    await waitForTasks(api, name, spec.replicas ?? 1, timeoutMs, options.signal);
    return { swarmServiceId: existing.ID, name, network, changed: false };
  }
  const started = Date.now();
  await postService(api, `/services/${existing.ID}/update?`, name, { version: existing.Version.Index }, desired, authconfig);
  await waitForUpdate(api, name, existing.UpdateStatus?.StartedAt, timeoutMs, options);
  // Completed: every replica of the new spec is running (a scale-up's new tasks too).
  await waitForTasks(api, name, spec.replicas ?? 1, Math.max(timeoutMs - (Date.now() - started), 5_000), options.signal);
  return { swarmServiceId: existing.ID, name, network, changed: true };
}

async function removeByName(api: EngineApi, name: string): Promise<void> {
  try {
    await api.call("remove service", name, (abortSignal) =>
      api.dial({
        path: `/services/${encodeURIComponent(name)}`,
        method: "DELETE",
        abortSignal,
        statusCodes: { 200: true, 404: "no such service", 500: "server error", 503: "node is not part of a swarm" },
      }),
    );
  } catch (err) {
    if (!isEngineError(err, "NOT_FOUND")) throw err;
  }
}

/** The Swarm service(s) of a Berth service (Berth-labelled only), with their full specs. */
async function servicesOf(api: EngineApi, serviceId: string) {
  const filters = JSON.stringify({ label: managedFilters(serviceId).label });
  const services = await api.call("list services", serviceId, (abortSignal) =>
    api.dial<Array<ServiceInfo & { Spec: { Name: string } }>>({
      path: "/services?",
      method: "GET",
      options: { filters },
      abortSignal,
      statusCodes: { 200: true, 500: "server error", 503: "node is not part of a swarm" },
    }),
  );
  return services.filter((s) => isManagedByBerth(s.Spec.Labels));
}

/** The same spec with another replica count (the spec's version named; nothing else changes). */
async function scale(api: EngineApi, service: ServiceInfo, replicas: number): Promise<void> {
  const spec = { ...service.Spec, Mode: { Replicated: { Replicas: replicas } } };
  await postService(api, `/services/${service.ID}/update?`, service.ID, { version: service.Version.Index }, spec);
}

/** Remove the Swarm service(s) of a Berth service (Berth-labelled only); returns their names. */
export async function removeSwarmService(api: EngineApi, serviceId: string): Promise<string[]> {
  const mine = await servicesOf(api, serviceId);
  for (const s of mine) await removeByName(api, s.ID);
  return mine.map((s) => s.Spec.Name);
}

/**
 * Scale a Berth service's Swarm service to `replicas` (0 stops it, its spec kept for a start).
 * Returns the Swarm services' names ([]: none, e.g. never released).
 */
export async function scaleSwarmService(api: EngineApi, serviceId: string, replicas: number): Promise<string[]> {
  const mine = await servicesOf(api, serviceId);
  for (const s of mine) await scale(api, s, replicas);
  return mine.map((s) => s.Spec.Name);
}

export function toSwarmTask(t: TaskInfo): SwarmTask {
  return {
    id: t.ID ?? "",
    nodeId: t.NodeID || null,
    slot: t.Slot ?? null,
    state: t.Status?.State ?? "unknown",
    desiredState: t.DesiredState ?? "unknown",
    error: t.Status?.Err || null,
    message: t.Status?.Message || null,
    deploymentId: t.Spec?.ContainerSpec?.Labels?.[LABEL_DEPLOYMENT] ?? null,
    updatedAt: t.Status?.Timestamp ?? null,
  };
}

/** The tasks of a Berth service's Swarm service (Berth-labelled only), newest first; [] without one. */
export async function listSwarmTasks(api: EngineApi, serviceId: string): Promise<SwarmTask[]> {
  const filters = JSON.stringify({ label: managedFilters(serviceId).label });
  const services = await api.call("list services", serviceId, (abortSignal) =>
    api.dial<Array<{ ID: string; Spec: { Labels?: Record<string, string> } }>>({
      path: "/services?",
      method: "GET",
      options: { filters },
      abortSignal,
      statusCodes: { 200: true, 500: "server error", 503: "node is not part of a swarm" },
    }),
  );
  const tasks: SwarmTask[] = [];
  for (const s of services.filter((x) => isManagedByBerth(x.Spec.Labels))) tasks.push(...(await listTasks(api, s.ID)).map(toSwarmTask));
  return tasks.sort((a, b) => (b.updatedAt ?? "").localeCompare(a.updatedAt ?? ""));
}
