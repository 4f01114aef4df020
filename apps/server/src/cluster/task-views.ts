/**
 * A cluster service's Swarm tasks as the container views the live status is derived from
 * (overview/service-status.ts): a service on the cluster has no container on Berth's engine, so
 * without these every one of them read "Stopped unexpectedly". Only tasks Swarm wants running
 * count (the others are history: replaced, rolled back, scaled away). One manager answers for
 * all of them at once; when none does, the services are `unknown`, never "down".
 */
import type { SwarmTask } from "@berth/engine";
import type { ContainerView } from "../overview/service-status.ts";
import { clusterEngine } from "./cluster-engine.ts";
import type { ClusterDeps } from "./swarm-of.ts";

/** Swarm's task states before `running` (https://docs.docker.com/engine/swarm/how-swarm-mode-works/swarm-task-states/). */
const STARTING = new Set(["new", "pending", "assigned", "accepted", "ready", "preparing", "starting"]);

/** PURE: a task Swarm wants running, as a container view (its release from the task's labels). */
export function taskView(task: SwarmTask): ContainerView {
  const state = task.state === "running" ? "running" : STARTING.has(task.state) ? "created" : "exited";
  return { deploymentId: task.deploymentId ?? "", state, restartCount: 0 };
}

export interface ClusterTaskViews {
  byService: Map<string, ContainerView[]>;
  /** Services whose tasks could not be listed (no manager answers). */
  unknown: Set<string>;
}

/** The container views of these cluster services' tasks (all of them in two calls to one manager). */
export async function clusterTaskViews(deps: ClusterDeps, serviceIds: string[]): Promise<ClusterTaskViews> {
  const byService = new Map<string, ContainerView[]>();
  if (serviceIds.length === 0) return { byService, unknown: new Set() };
  try {
    const { services } = await clusterEngine(deps);
    for (const [id, tasks] of await services.swarmRunningTasks(serviceIds)) byService.set(id, tasks.map(taskView));
    return { byService, unknown: new Set() };
  } catch (err) {
    deps.log.debug({ err: String(err) }, "cluster tasks unavailable for the status");
    return { byService: new Map(), unknown: new Set(serviceIds) };
  }
}
