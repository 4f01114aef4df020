/** Berth's containers as ManagedContainer records (inspected, so restart counts and ports are exact). */
import { inspectContainer, listManagedContainers } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { toManagedContainer } from "./managed.ts";
import type { ManagedContainer, ManagedScope } from "./port-types.ts";

export async function listManaged(api: EngineApi, scope?: string | ManagedScope): Promise<ManagedContainer[]> {
  const listed = await listManagedContainers(api, scope);
  const inspected = await Promise.all(listed.map((c) => inspectContainer(api, c.Id)));
  return inspected
    .map((info) => (info === null ? null : toManagedContainer(info)))
    .filter((c): c is ManagedContainer => c !== null)
    .sort((a, b) => a.containerName.localeCompare(b.containerName));
}

/** The service's containers that belong to other deployments than `deploymentId`. */
export async function listPrevious(api: EngineApi, serviceId: string, deploymentId: string): Promise<ManagedContainer[]> {
  return (await listManaged(api, serviceId)).filter((c) => c.deploymentId !== deploymentId);
}
