/**
 * The containers of a cluster service's running tasks, each reached through the engine of the
 * node that runs it (the node's Berth server by `swarmNodeId`, its own connection): what runtime
 * logs and the terminal of a cluster service go through. The task list comes from a manager; the
 * container is then found on its node by Swarm's task label together with Berth's labels of the
 * service (engine `taskContainer`), so nothing of another service is ever reached.
 */
import { DockerEngine, engineMessage, type SwarmTask } from "@berth/engine";
import { DomainError } from "../errors.ts";
import { CHECK_TIMEOUT_MS } from "../servers/check-server.ts";
import { engineConnectionOf } from "../servers/server-connection.ts";
import type { ServerRow } from "../servers/server-view.ts";
import { clusterEngine } from "./cluster-engine.ts";
import type { ClusterDeps } from "./swarm-of.ts";

export interface TaskContainer {
  taskId: string;
  /** How lines and pickers name the task: `#<slot> on <server>`. */
  label: string;
  serverName: string;
  /** The node's engine (requests bounded by the server check's deadline; streams are not). */
  engine: DockerEngine;
  containerId: string;
}

/** A running task whose node did not answer (or is no Berth server): said to the viewer, never thrown. */
export interface TaskUnreachable {
  taskId: string;
  label: string;
  reason: string;
}

const isRunning = (t: SwarmTask) => t.desiredState === "running" && t.state === "running";

function labelOf(task: SwarmTask, serverName: string | null): string {
  const name = task.slot === null ? task.id.slice(0, 12) : `#${task.slot}`;
  return `${name} on ${serverName ?? `node ${task.nodeId?.slice(0, 12) ?? "?"}`}`;
}

async function nodeServers(deps: ClusterDeps, tasks: SwarmTask[]): Promise<Map<string, ServerRow>> {
  const nodeIds = [...new Set(tasks.map((t) => t.nodeId).filter((id): id is string => id !== null))];
  const rows = await deps.db.server.findMany({ where: { swarmNodeId: { in: nodeIds } } });
  return new Map(rows.map((r) => [r.swarmNodeId!, r]));
}

async function locate(
  deps: ClusterDeps,
  serviceId: string,
  task: SwarmTask,
  row: ServerRow | undefined,
): Promise<TaskContainer | TaskUnreachable | null> {
  const label = labelOf(task, row?.name ?? null);
  if (!row) return { taskId: task.id, label, reason: "its node is not one of Berth's servers" };
  try {
    const engine = new DockerEngine({ connection: engineConnectionOf(deps, row), timeoutMs: CHECK_TIMEOUT_MS });
    const containerId = await engine.taskContainer(serviceId, task.id);
    // Gone between the manager's list and the node's answer (stopped, replaced): not running.
    return containerId === null ? null : { taskId: task.id, label, serverName: row.name, engine, containerId };
  } catch (err) {
    return { taskId: task.id, label, reason: `${row.name} does not answer: ${engineMessage(err)}` };
  }
}

/**
 * Every running task of the cluster service with its container, and those whose node does not
 * answer; all nodes asked side by side. A manager that does not answer is ENGINE_UNAVAILABLE.
 */
export async function runningTaskContainers(
  deps: ClusterDeps,
  serviceId: string,
): Promise<{ containers: TaskContainer[]; unreachable: TaskUnreachable[] }> {
  const tasks = (await (await clusterEngine(deps)).services.swarmServiceTasks(serviceId)).filter(isRunning);
  const servers = await nodeServers(deps, tasks);
  const found = await Promise.all(tasks.map((t) => locate(deps, serviceId, t, t.nodeId === null ? undefined : servers.get(t.nodeId))));
  const containers: TaskContainer[] = [];
  const unreachable: TaskUnreachable[] = [];
  for (const f of found) {
    if (f === null) continue;
    if ("containerId" in f) containers.push(f);
    else unreachable.push(f);
  }
  containers.sort((a, b) => a.label.localeCompare(b.label));
  return { containers, unreachable };
}

/**
 * The container of one running task of THIS service (the caller authorized the service): a task
 * id the manager does not list among the service's running tasks -- another service's, or an
 * old one -- is NOT_FOUND; its node not answering is ENGINE_UNAVAILABLE with the reason.
 */
export async function runningTaskContainer(deps: ClusterDeps, serviceId: string, taskId: string): Promise<TaskContainer> {
  const tasks = await (await clusterEngine(deps)).services.swarmServiceTasks(serviceId);
  const task = tasks.find((t) => t.id === taskId && isRunning(t));
  if (!task) throw new DomainError("NOT_FOUND", "No running task of this service has that id: pick one from the service's tasks");
  const row = task.nodeId === null ? undefined : (await nodeServers(deps, [task])).get(task.nodeId);
  const found = await locate(deps, serviceId, task, row);
  if (found === null) throw new DomainError("CONFLICT", "That task stopped: pick a running one");
  if (!("containerId" in found)) throw new DomainError("ENGINE_UNAVAILABLE", `Task ${found.label}: ${found.reason}`);
  return found;
}
