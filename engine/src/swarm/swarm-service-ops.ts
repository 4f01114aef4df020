/**
 * Berth services as Swarm services, through a Swarm manager's connection: release, scale and
 * remove one, and list its tasks. Not part of the ContainerEngine port (the cluster code drives
 * them); a task's container is found on the node that runs it (DockerEngine.taskContainer).
 * Arguments are checked here; the Engine API calls are swarm-services.ts's and running-tasks.ts's.
 */
import { EngineApi, type DockerEngineOptions } from "../engine-api.ts";
import type { ReleaseSpec } from "../port-types.ts";
import { assertValidId } from "../validate.ts";
import { listRunningSwarmTasks } from "./running-tasks.ts";
import {
  ensureSwarmService,
  isSwarmManager,
  listSwarmTasks,
  removeSwarmService,
  scaleSwarmService,
  type SwarmRelease,
  type SwarmReleaseOptions,
  type SwarmTask,
} from "./swarm-services.ts";

export class SwarmServices {
  private readonly api: EngineApi;

  constructor(options: DockerEngineOptions) {
    this.api = new EngineApi(options);
  }

  /** Whether this engine is a Swarm manager (then ensureSwarmService applies). */
  isSwarmManager(): Promise<boolean> {
    return isSwarmManager(this.api);
  }

  /** Swarm mode: the service as a Swarm service (start-first updates, rollback on failure, overlay network). */
  ensureSwarmService(desired: ReleaseSpec, opts: SwarmReleaseOptions = {}): Promise<SwarmRelease> {
    return ensureSwarmService(this.api, desired, opts);
  }

  /** Where a service's Swarm tasks run and how they fare (Berth-labelled services only). */
  swarmServiceTasks(serviceId: string): Promise<SwarmTask[]> {
    assertValidId(serviceId, "service id", "list swarm tasks");
    return listSwarmTasks(this.api, serviceId);
  }

  /** The tasks Swarm wants running for each of these services, in two calls whatever their number. */
  swarmRunningTasks(serviceIds: string[]): Promise<Map<string, SwarmTask[]>> {
    for (const id of serviceIds) assertValidId(id, "service id", "list swarm tasks");
    return listRunningSwarmTasks(this.api, serviceIds);
  }

  /** Remove the Berth-labelled Swarm service(s) of a service. */
  removeSwarmService(serviceId: string): Promise<string[]> {
    assertValidId(serviceId, "service id", "remove swarm service");
    return removeSwarmService(this.api, serviceId);
  }

  /** Scale the Berth-labelled Swarm service(s) of a service (0: stopped, its spec kept). */
  scaleSwarmService(serviceId: string, replicas: number): Promise<string[]> {
    assertValidId(serviceId, "service id", "scale swarm service");
    return scaleSwarmService(this.api, serviceId, replicas);
  }
}
