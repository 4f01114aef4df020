/** Cluster mode as the Servers page shows it: off (null), or the swarm and the server Berth drives it through. */
import type { Deps } from "../deps.ts";

export interface ClusterView {
  swarmId: string;
  managerServerId: string;
  managerName: string;
  createdAt: Date;
}

export async function getCluster(deps: Pick<Deps, "db">): Promise<ClusterView | null> {
  const cluster = await deps.db.cluster.findUnique({ where: { id: 1 }, include: { manager: { select: { name: true } } } });
  if (!cluster) return null;
  return {
    swarmId: cluster.swarmId,
    managerServerId: cluster.managerServerId,
    managerName: cluster.manager.name,
    createdAt: cluster.createdAt,
  };
}
