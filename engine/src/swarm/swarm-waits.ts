/**
 * A Swarm service's calls and how a release waits for it (swarm-services.ts drives them): inspect,
 * list its tasks, create or update it, then wait until every replica runs or the update completes,
 * rolling back on a problem waiting cannot fix, a deadline or a stop.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { EngineApi } from "../engine-api.ts";
import { EngineError, orNullIfMissing } from "../errors.ts";

const POLL_MS = 250;
const ROLLBACK_WAIT_MS = 60_000;
export const OPERATION = "ensure swarm service";

export interface ServiceInfo {
  ID: string;
  Version: { Index: number };
  Spec: { Labels?: Record<string, string>; Mode?: { Replicated?: { Replicas?: number } } };
  UpdateStatus?: { State?: string; Message?: string; StartedAt?: string };
}

export interface TaskInfo {
  ID?: string;
  NodeID?: string;
  Slot?: number;
  DesiredState?: string;
  Status?: { State?: string; Err?: string; Message?: string; Timestamp?: string };
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
}

export async function inspectService(api: EngineApi, name: string): Promise<ServiceInfo | null> {
  return orNullIfMissing(
    api.call("inspect service", name, (abortSignal) =>
      api.dial<ServiceInfo>({
        path: `/services/${encodeURIComponent(name)}?`,
        method: "GET",
        abortSignal,
        statusCodes: { 200: true, 404: "no such service", 500: "server error", 503: "node is not part of a swarm" },
      }),
    ),
  );
}

export async function listTasks(api: EngineApi, name: string): Promise<TaskInfo[]> {
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

function cancelled(name: string): EngineError {
  return new EngineError({ code: "CANCELLED", operation: OPERATION, resource: name, message: `${OPERATION} ${name}: cancelled` });
}

function taskErrors(tasks: TaskInfo[]): string[] {
  return [...new Set(tasks.map((t) => t.Status?.Err).filter((e): e is string => typeof e === "string" && e !== ""))].slice(0, 10);
}

/**
 * A problem waiting cannot fix, seen on the tasks Swarm wants running: a placement no node
 * satisfies (the task stays pending forever), or an image a node does not have and cannot pull.
 */
export function hopelessTaskReason(tasks: ReadonlyArray<TaskInfo>): string | null {
  for (const t of tasks) {
    const err = t.Status?.Err ?? "";
    if (t.DesiredState === "running" && t.Status?.State === "pending" && /no suitable node/i.test(err))
      return `no node satisfies the service's placement (${err})`;
  }
  for (const t of tasks) {
    const err = t.Status?.Err ?? "";
    if (/no such image/i.test(err)) return `a node does not have the image and could not pull it (${err})`;
  }
  return null;
}

/** A new service: every replica running (Swarm reports "running" only once a health check passes). */
export async function waitForTasks(api: EngineApi, name: string, replicas: number, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (signal?.aborted) throw cancelled(name);
    const tasks = await listTasks(api, name);
    const running = tasks.filter((t) => t.DesiredState === "running" && t.Status?.State === "running").length;
    if (running >= replicas) return;
    const hopeless = hopelessTaskReason(tasks);
    if (hopeless !== null) throw failed(name, hopeless, { taskErrors: taskErrors(tasks) });
    if (Date.now() > deadline)
      throw failed(name, `${running} of ${replicas} task(s) running after ${timeoutMs / 1000} s`, { taskErrors: taskErrors(tasks) });
    await sleep(POLL_MS);
  }
}

/**
 * Roll an update back to the previous spec ourselves and wait (bounded) until Swarm says it is
 * done; with `wait` false, only request it.
 */
async function rollBack(api: EngineApi, name: string, before: string | undefined, wait = true): Promise<string> {
  const info = await inspectService(api, name);
  if (info === null) return "the service is gone";
  const state = info.UpdateStatus?.StartedAt === before ? undefined : info.UpdateStatus?.State;
  if (state === undefined || !/rollback/.test(state)) {
    const full = await api.call("inspect service", name, (abortSignal) =>
      api.dial<{ Spec: unknown; Version: { Index: number } }>({
        path: `/services/${encodeURIComponent(name)}?`,
        method: "GET",
        abortSignal,
        statusCodes: { 200: true, 404: "no such service", 500: "server error", 503: "node is not part of a swarm" },
      }),
    );
    await postService(api, `/services/${info.ID}/update?`, name, { version: full.Version.Index, rollback: "previous" }, full.Spec);
  }
  if (!wait) return "requested";
  const deadline = Date.now() + ROLLBACK_WAIT_MS;
  for (;;) {
    const status = (await inspectService(api, name))?.UpdateStatus;
    const now = status?.StartedAt === before ? undefined : status?.State;
    if (now === "rollback_completed" || now === "rollback_paused") return now;
    if (Date.now() > deadline) return `rollback still ${now ?? "unknown"} after ${ROLLBACK_WAIT_MS / 1000} s`;
    await sleep(POLL_MS);
  }
}

/** An update: completed, or rolled back / paused (then the previous spec keeps serving). */
export async function waitForUpdate(
  api: EngineApi,
  name: string,
  before: string | undefined,
  timeoutMs: number,
  options: { signal?: AbortSignal | undefined; awaitRollback?: (() => boolean) | undefined },
): Promise<void> {
  const { signal } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await inspectService(api, name);
    // Until Swarm's updater picks this update up, the status is still the previous update's.
    const state = info?.UpdateStatus?.StartedAt === before ? undefined : info?.UpdateStatus?.State;
    if (state === "completed") return;
    if (state !== undefined && /rollback|paused/.test(state)) {
      const tasks = await listTasks(api, name);
      // Swarm's own rollback is under way: let it finish, so the previous spec serves when we answer.
      const settled = state === "rollback_started" ? await rollBack(api, name, before) : state;
      throw failed(
        name,
        `the update failed and Swarm rolled back to the previous release (${settled}): ${info?.UpdateStatus?.Message ?? ""}`.trim(),
        { updateState: settled, taskErrors: taskErrors(tasks) },
      );
    }
    if (signal?.aborted) {
      await rollBack(api, name, before, options.awaitRollback?.() ?? true);
      throw cancelled(name);
    }
    const tasks = await listTasks(api, name);
    const hopeless = hopelessTaskReason(tasks.filter((t) => t.DesiredState === "running"));
    if (hopeless !== null) {
      const settled = await rollBack(api, name, before);
      throw failed(name, `${hopeless}; rolled back to the previous release (${settled})`, { taskErrors: taskErrors(tasks) });
    }
    if (Date.now() > deadline) {
      const settled = await rollBack(api, name, before);
      throw failed(
        name,
        `the update did not complete within ${timeoutMs / 1000} s (state ${state ?? "unknown"}); rolled back to the previous release (${settled})`,
        { taskErrors: taskErrors(tasks) },
      );
    }
    await sleep(POLL_MS);
  }
}

/**
 * Create or update a Swarm service. `authconfig` (registry credentials for the service's image)
 * goes only in the X-Registry-Auth header: the manager hands it to the nodes with the task, so a
 * node can pull a private image (what `docker service create --with-registry-auth` does).
 */
export function postService(
  api: EngineApi,
  path: string,
  resource: string,
  query: Record<string, unknown>,
  body: unknown,
  authconfig?: Record<string, string>,
) {
  return api.call(OPERATION, resource, (abortSignal) =>
    api.dial<{ ID?: string }>({
      path,
      method: "POST",
      options: { _query: query, _body: body },
      ...(authconfig ? { authconfig } : {}),
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
