/**
 * The node a cluster service with volumes runs on (volume-pin.ts picks it): recorded on the
 * service at its first cluster release, checked at every later one. A node that is gone, down or
 * drained is a clear failure here, before Swarm is asked for a task no node can run.
 */
import { isEngineError, type SwarmNode } from "@berth/engine";
import { DomainError } from "../errors.ts";
import type { ClusterDeps, Manager } from "./swarm-of.ts";
import { pickPinNode } from "./volume-pin.ts";

export interface PinnedNode {
  nodeId: string;
  /** The Berth server of that node (its name), or the node's host name. */
  serverName: string;
  /** Picked by this release (the first on the cluster). */
  picked: boolean;
}

async function serverNameOf(deps: ClusterDeps, node: Pick<SwarmNode, "id" | "hostname">): Promise<string> {
  const row = await deps.db.server.findFirst({ where: { swarmNodeId: node.id }, select: { name: true } });
  return row?.name ?? node.hostname;
}

export async function pinnedNodeFor(
  deps: ClusterDeps,
  manager: Manager,
  service: { id: string; placementConstraints: string[] },
): Promise<PinnedNode> {
  const nodes = await manager.swarm.nodes();
  const { pinnedNodeId } = await deps.db.service.findUniqueOrThrow({ where: { id: service.id }, select: { pinnedNodeId: true } });
  if (pinnedNodeId !== null) {
    const node = nodes.find((n) => n.id === pinnedNodeId);
    if (!node)
      throw new DomainError(
        "INVALID",
        `Its volume lives on node ${pinnedNodeId}, which is no longer in the cluster: the service runs only there`,
      );
    const serverName = await serverNameOf(deps, node);
    if (node.state !== "ready" || node.availability !== "active")
      throw new DomainError(
        "INVALID",
        `Its volume lives on ${serverName}, which is ${node.state === "ready" ? node.availability : node.state}: the service runs only there`,
      );
    return { nodeId: node.id, serverName, picked: false };
  }
  const counts = await deps.db.service.groupBy({ by: ["pinnedNodeId"], where: { pinnedNodeId: { not: null } }, _count: true });
  const pinnedCounts = new Map(counts.map((c) => [c.pinnedNodeId ?? "", c._count]));
  const node = pickPinNode(nodes, service.placementConstraints, pinnedCounts);
  if (!node)
    throw new DomainError(
      "INVALID",
      `No node can hold its volume: none is ready, active and satisfies its placement${service.placementConstraints.length ? ` (${service.placementConstraints.join(", ")})` : ""}`,
    );
  // Two releases racing: the first recorded pin wins, the other uses it.
  const { count } = await deps.db.service.updateMany({ where: { id: service.id, pinnedNodeId: null }, data: { pinnedNodeId: node.id } });
  if (count === 0) return pinnedNodeFor(deps, manager, service);
  return { nodeId: node.id, serverName: await serverNameOf(deps, node), picked: true };
}

/**
 * What keeps a pinned node from running its service's task now ("down", "drain", "gone from the
 * cluster"...), null when it is fine, undefined when the manager did not answer (no verdict).
 */
export async function pinnedNodeTrouble(manager: Manager, nodeId: string): Promise<string | null | undefined> {
  let node: SwarmNode;
  try {
    node = await manager.swarm.node(nodeId);
  } catch (err) {
    return isEngineError(err, "NOT_FOUND") ? "gone from the cluster" : undefined;
  }
  if (node.state !== "ready") return node.state;
  return node.availability === "active" ? null : node.availability;
}

/**
 * Removing or draining a node that holds a pinned service's volume would strand the service (no
 * other node has its data): refused, naming the services. Detached volumes do not count.
 */
export async function refuseIfPinnedHere(deps: Pick<ClusterDeps, "db">, server: { name: string; swarmNodeId: string }, what: string) {
  const pinned = await deps.db.service.findMany({
    where: { pinnedNodeId: server.swarmNodeId, placement: "cluster", volumes: { some: {} } },
    select: { name: true, project: { select: { name: true } } },
    orderBy: { name: "asc" },
  });
  if (pinned.length === 0) return;
  const names = pinned.map((s) => `${s.name} (project ${s.project.name})`).join(", ");
  throw new DomainError(
    "CONFLICT",
    `${server.name} holds the volume${pinned.length === 1 ? "" : "s"} of ${names}, pinned to it: ${what} would leave ${pinned.length === 1 ? "it" : "them"} without ${pinned.length === 1 ? "its" : "their"} data. Delete ${pinned.length === 1 ? "that service" : "those services"} (or their volumes) first`,
  );
}
