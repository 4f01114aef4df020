/**
 * Low-level container operations for the adapter, each tolerant of the engine's "already
 * done" answers: 304 on start/stop means already in that state, 404 on stop/remove means
 * already gone. Callers prove ownership (labels) before calling the destructive ones.
 */
import type Docker from "dockerode";
import type { ContainerCreateOptions, ContainerInfo, ContainerInspectInfo } from "dockerode";
import type { EngineApi } from "./engine-api.ts";
import { engineMessage, engineStatusCode, orNullIfMissing } from "./errors.ts";
import { isOneOff, isSwarmTask, managedFilters } from "./labels.ts";
import type { ManagedScope } from "./port-types.ts";

export const DEFAULT_GRACE_SECONDS = 10;

/**
 * Every release container (running or not) carrying Berth's label, optionally of one service.
 * One-off run containers are left out (`includeOneOffs` only for removing a whole service):
 * a release, reconcile or stop never touches a run in progress. So are Swarm tasks' containers
 * (an engine that is also a cluster node runs them with the service's labels): Swarm keeps them,
 * and this engine's reconcile would otherwise remove them as containers of no release here.
 */
export async function listManagedContainers(
  api: EngineApi,
  scope?: string | ManagedScope,
  opts: { includeOneOffs?: boolean } = {},
): Promise<ContainerInfo[]> {
  const resource = typeof scope === "string" ? scope : (scope?.serviceId ?? scope?.projectId ?? scope?.teamId ?? "berth");
  const all = await api.call("list containers", resource, (abortSignal) =>
    api.docker.listContainers({ all: true, filters: managedFilters(scope), abortSignal }),
  );
  return all.filter((c) => !isSwarmTask(c.Labels) && (opts.includeOneOffs === true || !isOneOff(c.Labels)));
}

/** Inspect by id or name; null when no such container exists. */
export async function inspectContainer(api: EngineApi, ref: string): Promise<ContainerInspectInfo | null> {
  return orNullIfMissing(api.call("inspect container", ref, (abortSignal) => api.docker.getContainer(ref).inspect({ abortSignal })));
}

/**
 * Create a container. Sends the name as the only query parameter and everything else as
 * the JSON body: dockerode's createContainer would also copy Env (secrets) into the URL.
 */
export async function createContainer(api: EngineApi, options: ContainerCreateOptions): Promise<Docker.Container> {
  const { name, ...body } = options;
  const created = await api.call("create container", name ?? options.Image ?? "container", (abortSignal) =>
    api.dial<{ Id: string }>({
      path: "/containers/create?",
      method: "POST",
      options: { _query: name === undefined ? {} : { name }, _body: body },
      abortSignal,
      statusCodes: { 200: true, 201: true, 400: "bad parameter", 404: "no such image", 409: "conflict", 500: "server error" },
    }),
  );
  return api.docker.getContainer(created.Id);
}

function isAlreadyDone(err: unknown, statuses: number[]): boolean {
  const status = engineStatusCode(err instanceof Error ? err.cause : undefined) ?? engineStatusCode(err);
  if (status === undefined) return false;
  if (statuses.includes(status)) return true;
  // Docker answers 409 when another request is already removing the container.
  return status === 409 && /already in progress/i.test(engineMessage(err));
}

export async function startContainer(api: EngineApi, id: string): Promise<void> {
  try {
    await api.call("start container", id, (abortSignal) => api.docker.getContainer(id).start({ abortSignal }));
  } catch (err) {
    if (!isAlreadyDone(err, [304])) throw err;
  }
}

/** SIGTERM, then SIGKILL after graceSeconds (the engine does the kill). */
export async function stopContainer(api: EngineApi, id: string, graceSeconds: number): Promise<void> {
  const timeoutMs = api.timeoutMs + graceSeconds * 1000;
  try {
    await api.call("stop container", id, (abortSignal) => api.docker.getContainer(id).stop({ t: graceSeconds, abortSignal }), timeoutMs);
  } catch (err) {
    if (!isAlreadyDone(err, [304, 404])) throw err;
  }
}

export async function removeContainerForce(api: EngineApi, id: string): Promise<void> {
  try {
    await api.call("remove container", id, (abortSignal) => api.docker.getContainer(id).remove({ force: true, v: true, abortSignal }));
  } catch (err) {
    if (!isAlreadyDone(err, [404])) throw err;
  }
}

export async function stopAndRemove(api: EngineApi, id: string, graceSeconds: number): Promise<void> {
  await stopContainer(api, id, graceSeconds);
  await removeContainerForce(api, id);
}
