/**
 * A cluster service's Swarm tasks as the container views the live status is derived from
 * (overview/service-status.ts): a service on the cluster has no container on Berth's engine, so
 * without these every one of them read "Stopped unexpectedly". Only tasks Swarm wants running
 * count (the others are history: replaced, rolled back, scaled away). One manager answers for
 * all of them; when none does, the services are `unknown`, never "down".
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

/** The container views of these cluster services' tasks (side by side through one manager). */
export async function clusterTaskViews(deps: ClusterDeps, serviceIds: string[]): Promise<ClusterTaskViews> {
  const byService = new Map<string, ContainerView[]>();
  if (serviceIds.length === 0) return { byService, unknown: new Set() };
  let engine;
  try {
    ({ engine } = await clusterEngine(deps));
  } catch (err) {
    deps.log.debug({ err: String(err) }, "cluster tasks unavailable for the status");
    return { byService, unknown: new Set(serviceIds) };
  }
  const unknown = new Set<string>();
  await Promise.all(
    serviceIds.map(async (id) => {
      try {
        const tasks = await engine.swarmServiceTasks(id);
        byService.set(id, tasks.filter((t) => t.desiredState === "running").map(taskView));
      } catch (err) {
        deps.log.debug({ serviceId: id, err: String(err) }, "cluster tasks unavailable for the status");
        unknown.add(id);
      }
    }),
  );
  return { byService, unknown };
}
