/**
 * The engine Berth drives a cluster service through: a manager that answers (swarm-of.ts), its
 * Swarm services reached with SwarmServices, each request bounded by the server check's deadline,
 * so a dead manager is a clear error, not a hang.
 */
import { SwarmServices } from "@berth/engine";
import { CHECK_TIMEOUT_MS } from "../servers/check-server.ts";
import { engineConnectionOf } from "../servers/server-connection.ts";
import { reachableManager, type ClusterDeps, type Manager } from "./swarm-of.ts";

export async function clusterEngine(deps: ClusterDeps): Promise<{ services: SwarmServices; managerName: string; manager: Manager }> {
  const manager = await reachableManager(deps);
  return {
    services: new SwarmServices({ connection: engineConnectionOf(deps, manager.row), timeoutMs: CHECK_TIMEOUT_MS }),
    managerName: manager.row.name,
    manager,
  };
}

/** The Swarm services of a manager that answers (it throws when none does); null once cluster mode is off (the swarm went with it). */
export async function clusterServicesOf(deps: ClusterDeps): Promise<SwarmServices | null> {
  if (!(await deps.db.cluster.findUnique({ where: { id: 1 } }))) return null;
  return (await clusterEngine(deps)).services;
}
