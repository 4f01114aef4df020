/**
 * The periodic server check's second half in cluster mode: one node list from a manager updates
 * every node's state (ready / down ...), availability, role and labels on its server row. A node
 * the manager no longer lists shows as `unknown`; with no manager answering, the rows keep what
 * was last seen (each server's own check says it is unreachable). The cluster row records what
 * the swarm's control plane looked like (control-state.ts): ok, no quorum, or unreachable.
 */
import { engineMessage, type SwarmNode } from "@berth/engine";
import { controlCheckOfListFailure, type ControlCheck } from "./control-state.ts";
import { reachableManager, type ClusterDeps } from "./swarm-of.ts";
import { nodeFields } from "./node-fields.ts";

export async function refreshClusterNodes(deps: ClusterDeps): Promise<void> {
  const members = await deps.db.server.findMany({ where: { swarmNodeId: { not: null } } });
  if (members.length === 0) return;
  const listed = await nodeList(deps, members.filter((m) => m.swarmRole === "manager").length);
  await recordControl(deps, listed.check);
  // The rows keep what was last seen; the caller logs why.
  if (!listed.nodes) throw new Error(listed.check.error ?? listed.check.state);
  for (const row of members) {
    const node = listed.nodes.get(row.swarmNodeId ?? "");
    await deps.db.server.updateMany({
      where: { id: row.id, swarmNodeId: row.swarmNodeId },
      data: node ? nodeFields(node) : { swarmNodeState: "unknown" },
    });
  }
}

/** Every node as a manager lists them, or why the swarm's control plane could not say. */
async function nodeList(deps: ClusterDeps, managerCount: number): Promise<{ nodes: Map<string, SwarmNode> | null; check: ControlCheck }> {
  let manager;
  try {
    manager = await reachableManager(deps);
  } catch (err) {
    return { nodes: null, check: { state: "unreachable", error: engineMessage(err) } };
  }
  try {
    return { nodes: new Map((await manager.swarm.nodes()).map((n) => [n.id, n])), check: { state: "ok", error: null } };
  } catch (err) {
    return { nodes: null, check: controlCheckOfListFailure(engineMessage(err), Math.max(managerCount, 1)) };
  }
}

async function recordControl(deps: ClusterDeps, check: ControlCheck): Promise<void> {
  await deps.db.cluster.updateMany({
    where: { id: 1 },
    data: { controlState: check.state, controlError: check.error, controlCheckedAt: new Date() },
  });
}
