/**
 * The periodic server check's second half in cluster mode: one node list from a manager updates
 * every node's state (ready / down ...), availability, role and labels on its server row. A node
 * the manager no longer lists shows as `unknown`; with no manager answering, the rows keep what
 * was last seen (each server's own check says it is unreachable).
 */
import { reachableManager, type ClusterDeps } from "./swarm-of.ts";
import { nodeFields } from "./node-fields.ts";

export async function refreshClusterNodes(deps: ClusterDeps): Promise<void> {
  const members = await deps.db.server.findMany({ where: { swarmNodeId: { not: null } } });
  if (members.length === 0) return;
  const manager = await reachableManager(deps);
  const nodes = new Map((await manager.swarm.nodes()).map((n) => [n.id, n]));
  for (const row of members) {
    const node = nodes.get(row.swarmNodeId ?? "");
    await deps.db.server.updateMany({
      where: { id: row.id, swarmNodeId: row.swarmNodeId },
      data: node ? nodeFields(node) : { swarmNodeState: "unknown" },
    });
  }
}
