/**
 * Swarm mode: when the engine is a Swarm manager, a Berth service is a Swarm service
 * updated start-first with rollback on failure, gated on container health, reached over the
 * project's attachable overlay network by its service name (DNS round-robin).
 * ensureSwarmService is idempotent (spec-hash label) and touches only Berth-labelled services.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { assertSafeBindMounts } from "../bind-sources.ts";
import type { EngineApi } from "../engine-api.ts";
import { EngineError, isEngineError } from "../errors.ts";
import { DEFAULT_PULL_TIMEOUT_MS, ensureImage } from "../images.ts";
import { isManagedByBerth, LABEL_SPEC_HASH, managedFilters } from "../labels.ts";
import { ensureNetwork } from "../networks.ts";
import type { ReleaseSpec } from "../port-types.ts";
import type { RegistryAuth } from "../registry-auth.ts";
import { specHash } from "../spec-hash.ts";
import { assertValidGrace, assertValidReleaseSpec } from "../validate.ts";
import { ensureVolumes } from "../volumes.ts";
import { buildOverlayNetworkName, buildSwarmServiceName, buildSwarmServiceSpec } from "./service-spec.ts";

export const DEFAULT_SWARM_TIMEOUT_MS = 90_000;
const POLL_MS = 250;
const OPERATION = "ensure swarm service";

export interface SwarmReleaseOptions {
  graceSeconds?: number;
  /** How long creation or an update may take to converge (default 90 s). */
  readyTimeoutMs?: number;
  registryAuth?: RegistryAuth;
}

export interface SwarmRelease {
  swarmServiceId: string;
  name: string;
  /** The overlay network the router joins to reach `serviceName:containerPort`. */
  network: string;
  changed: boolean;
}

interface ServiceInfo {
  ID: string;
  Version: { Index: number };
  Spec: { Labels?: Record<string, string> };
  UpdateStatus?: { State?: string; Message?: string };
}

interface TaskInfo {
  DesiredState?: string;
  Status?: { State?: string; Err?: string; Message?: string };
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

async function inspectService(api: EngineApi, name: string): Promise<ServiceInfo | null> {
  try {
    return await api.call("inspect service", name, (abortSignal) =>
      api.dial<ServiceInfo>({
        path: `/services/${encodeURIComponent(name)}?`,
        method: "GET",
        abortSignal,
        statusCodes: { 200: true, 404: "no such service", 500: "server error", 503: "node is not part of a swarm" },
      }),
    );
  } catch (err) {
    if (isEngineError(err, "NOT_FOUND")) return null;
    throw err;
  }
}

async function listTasks(api: EngineApi, name: string): Promise<TaskInfo[]> {
  const filters = JSON.stringify({ service: [name] });
  return api.call("list tasks", name, (abortSignal) =>
    api.dial<TaskInfo[]>({
      path: "/tasks?",
      method: "GET",
      options: { filters },
      abortSignal,
      statusCodes: { 200: true, 500: "server error", 503: "node is not part of a swarm" },
    }),
  );
}

function failed(name: string, reason: string, details: Record<string, unknown>): EngineError {
  return new EngineError({
    code: "HEALTHCHECK_FAILED",
    operation: OPERATION,
    resource: name,
    message: `${OPERATION} ${name}: ${reason}`,
    details,
  });
}

function taskErrors(tasks: TaskInfo[]): string[] {
  return [...new Set(tasks.map((t) => t.Status?.Err).filter((e): e is string => typeof e === "string" && e !== ""))].slice(0, 10);
}

/** A new service: every replica running (Swarm reports "running" only once a health check passes). */
async function waitForTasks(api: EngineApi, name: string, replicas: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const tasks = await listTasks(api, name);
    const running = tasks.filter((t) => t.DesiredState === "running" && t.Status?.State === "running").length;
    if (running >= replicas) return;
    if (Date.now() > deadline)
      throw failed(name, `${running} of ${replicas} task(s) running after ${timeoutMs / 1000} s`, { taskErrors: taskErrors(tasks) });
    await sleep(POLL_MS);
  }
}

/** An update: completed, or rolled back / paused (then the previous spec keeps serving). */
async function waitForUpdate(api: EngineApi, name: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await inspectService(api, name);
    const state = info?.UpdateStatus?.State;
    if (state === "completed") return;
    if (state !== undefined && /rollback|paused/.test(state)) {
      const tasks = await listTasks(api, name);
      throw failed(
        name,
        `the update failed and Swarm rolled back to the previous release (${state}): ${info?.UpdateStatus?.Message ?? ""}`,
        { updateState: state, taskErrors: taskErrors(tasks) },
      );
    }
    if (Date.now() > deadline)
      throw failed(name, `the update did not complete within ${timeoutMs / 1000} s (state ${state ?? "unknown"})`, {});
    await sleep(POLL_MS);
  }
}

function postService(api: EngineApi, path: string, resource: string, query: Record<string, unknown>, body: unknown) {
  return api.call(OPERATION, resource, (abortSignal) =>
    api.dial<{ ID?: string }>({
      path,
      method: "POST",
      options: { _query: query, _body: body },
      abortSignal,
      statusCodes: {
        200: true,
        201: true,
        400: "bad parameter",
        404: "no such service",
        409: "conflict",
        500: "server error",
        503: "node is not part of a swarm",
      },
    }),
  );
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
  await ensureVolumes(api, spec);
  return network;
}

export async function ensureSwarmService(api: EngineApi, spec: ReleaseSpec, options: SwarmReleaseOptions = {}): Promise<SwarmRelease> {
  const network = await prepare(api, spec, options);
  const name = buildSwarmServiceName(spec);
  const desired = buildSwarmServiceSpec(spec, { graceSeconds: options.graceSeconds ?? 10 });
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_SWARM_TIMEOUT_MS;
  const existing = await inspectService(api, name);
  if (existing === null) {
    const created = await postService(api, "/services/create?", name, {}, desired);
    try {
      await waitForTasks(api, name, spec.replicas ?? 1, timeoutMs);
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
    await waitForTasks(api, name, spec.replicas ?? 1, timeoutMs);
    return { swarmServiceId: existing.ID, name, network, changed: false };
  }
  await postService(api, `/services/${existing.ID}/update?`, name, { version: existing.Version.Index }, desired);
  await waitForUpdate(api, name, timeoutMs);
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

/** Remove the Swarm service(s) of a Berth service (Berth-labelled only); returns their names. */
export async function removeSwarmService(api: EngineApi, serviceId: string): Promise<string[]> {
  const filters = JSON.stringify({ label: managedFilters(serviceId).label });
  const services = await api.call("list services", serviceId, (abortSignal) =>
    api.dial<Array<{ ID: string; Spec: { Name: string; Labels?: Record<string, string> } }>>({
      path: "/services?",
      method: "GET",
      options: { filters },
      abortSignal,
      statusCodes: { 200: true, 500: "server error", 503: "node is not part of a swarm" },
    }),
  );
  const mine = services.filter((s) => isManagedByBerth(s.Spec.Labels));
  for (const s of mine) await removeByName(api, s.ID);
  return mine.map((s) => s.Spec.Name);
}
