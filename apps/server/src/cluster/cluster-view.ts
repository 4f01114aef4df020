/** Cluster mode as the Servers page shows it: off (null), or the swarm and the server Berth drives it through. */
import type { Deps } from "../deps.ts";
import type { ControlState } from "./control-state.ts";

export interface ClusterView {
  swarmId: string;
  managerServerId: string;
  managerName: string;
  createdAt: Date;
  /** The swarm's control plane at the last periodic check (control-state.ts). */
  control: { state: ControlState; error: string | null; checkedAt: Date | null };
}

export async function getCluster(deps: Pick<Deps, "db">): Promise<ClusterView | null> {
  const cluster = await deps.db.cluster.findUnique({ where: { id: 1 }, include: { manager: { select: { name: true } } } });
  if (!cluster) return null;
  return {
    swarmId: cluster.swarmId,
    managerServerId: cluster.managerServerId,
    managerName: cluster.manager.name,
    createdAt: cluster.createdAt,
    control: { state: cluster.controlState as ControlState, error: cluster.controlError, checkedAt: cluster.controlCheckedAt },
  };
}
