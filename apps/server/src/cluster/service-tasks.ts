/**
 * Where a cluster service's tasks run: each Swarm task with its node (the server of that node,
 * by swarmNodeId), state, desired state and error, newest first. Viewer of the service's team.
 * A manager that does not answer is said in `error`, not thrown (the page still renders).
 */
import { engineMessage, type SwarmTask } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { clusterEngine } from "./cluster-engine.ts";

/** Running tasks and the most recent others (a failed update's, a rejected one's). */
const MAX_TASKS = 30;

export interface ServiceTaskView extends SwarmTask {
  /** The Berth server of that node; null for a node Berth does not know (or none yet: pending). */
  serverName: string | null;
}

export async function listServiceTasks(deps: Pick<Deps, "db" | "box" | "log">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  const base = {
    placement: service.placement,
    constraints: service.placementConstraints,
  };
  if (service.placement !== "cluster") return { ...base, tasks: [] as ServiceTaskView[], error: null };
  let raw;
  try {
    raw = await (await clusterEngine(deps)).services.swarmServiceTasks(serviceId);
  } catch (err) {
    return { ...base, tasks: [] as ServiceTaskView[], error: `Cannot list the tasks: ${engineMessage(err)}` };
  }
  const nodeIds = [...new Set(raw.map((t) => t.nodeId).filter((id): id is string => id !== null))];
  const servers = await deps.db.server.findMany({ where: { swarmNodeId: { in: nodeIds } }, select: { swarmNodeId: true, name: true } });
  const names = new Map(servers.map((s) => [s.swarmNodeId, s.name]));
  const ordered = [...raw.filter((t) => t.desiredState === "running"), ...raw.filter((t) => t.desiredState !== "running")];
  const tasks: ServiceTaskView[] = ordered
    .slice(0, MAX_TASKS)
    .map((t) => ({ ...t, serverName: t.nodeId === null ? null : (names.get(t.nodeId) ?? null) }));
  return { ...base, tasks, error: null };
}
