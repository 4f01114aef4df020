/**
 * The tasks Swarm wants running for many Berth services at once, in two calls to the manager (the
 * Berth-labelled services, then their tasks) whatever their number: the live status of every
 * cluster service on a page (server: cluster/task-views.ts) asked for each service's tasks one by
 * one, two calls per service.
 */
import type { EngineApi } from "../engine-api.ts";
import { LABEL_SERVICE, managedFilters } from "../labels.ts";
import { type SwarmTask, toSwarmTask } from "./swarm-services.ts";
import type { TaskInfo } from "./swarm-waits.ts";

const SWARM_ERRORS = { 200: true, 500: "server error", 503: "node is not part of a swarm" } as const;

/** Each of `serviceIds`' running-or-starting tasks (desired state running), [] for one with none. */
export async function listRunningSwarmTasks(api: EngineApi, serviceIds: string[]): Promise<Map<string, SwarmTask[]>> {
  const byService = new Map<string, SwarmTask[]>(serviceIds.map((id) => [id, []]));
  if (serviceIds.length === 0) return byService;
  const services = await api.call("list services", "berth services", (abortSignal) =>
    api.dial<Array<{ ID: string; Spec: { Labels?: Record<string, string> } }>>({
      path: "/services?",
      method: "GET",
      options: { filters: JSON.stringify(managedFilters()) },
      abortSignal,
      statusCodes: SWARM_ERRORS,
    }),
  );
  const berthIdOf = new Map<string, string>();
  for (const s of services) {
    const id = s.Spec.Labels?.[LABEL_SERVICE];
    if (id !== undefined && byService.has(id)) berthIdOf.set(s.ID, id);
  }
  if (berthIdOf.size === 0) return byService;
  const tasks = await api.call("list tasks", "berth services", (abortSignal) =>
    api.dial<Array<TaskInfo & { ServiceID?: string }>>({
      path: "/tasks?",
      method: "GET",
      options: { filters: JSON.stringify({ service: [...berthIdOf.keys()], "desired-state": ["running"] }) },
      abortSignal,
      statusCodes: SWARM_ERRORS,
    }),
  );
  for (const t of tasks) {
    const id = berthIdOf.get(t.ServiceID ?? "");
    if (id !== undefined) byService.get(id)?.push(toSwarmTask(t));
  }
  return byService;
}
