/**
 * A cluster service with volumes runs on one node, where its volumes live: at its first cluster
 * release Berth picks that node and records it (`service.pinnedNodeId`); every release then adds
 * `node.id==<id>` to its constraints. PURE (unit-tested): which nodes satisfy the service's own
 * constraints, and which of them to pick.
 *
 * The pick: a node that is ready and active (not paused or drained) and satisfies every
 * constraint; among those the one with the fewest services already pinned to it, then a worker
 * before a manager (managers carry the control plane and the cluster registry), then the node
 * id (stable).
 */
import type { SwarmNode } from "@berth/engine";

const CONSTRAINT = /^node\.(?:labels\.(?<key>[^=!]+)|(?<attr>hostname|role|id))(?<op>==|!=)(?<value>.*)$/;

/** Whether a node satisfies one constraint as Swarm reads it (unknown forms: not satisfied). */
export function satisfies(node: Pick<SwarmNode, "id" | "hostname" | "role" | "labels">, constraint: string): boolean {
  const m = CONSTRAINT.exec(constraint);
  if (!m?.groups) return false;
  const { key, attr, op, value = "" } = m.groups;
  let actual: string | undefined;
  if (key !== undefined) actual = node.labels[key];
  else if (attr === "hostname") actual = node.hostname;
  else if (attr === "role") actual = node.role;
  else actual = node.id;
  return op === "==" ? actual === value : actual !== value;
}

/** The node to pin a service to, or null when none qualifies. */
export function pickPinNode(
  nodes: ReadonlyArray<SwarmNode>,
  constraints: ReadonlyArray<string>,
  pinnedCounts: ReadonlyMap<string, number>,
): SwarmNode | null {
  const fit = nodes.filter((n) => n.state === "ready" && n.availability === "active" && constraints.every((c) => satisfies(n, c)));
  const rank = (n: SwarmNode) => [pinnedCounts.get(n.id) ?? 0, n.role === "worker" ? 0 : 1] as const;
  const sorted = [...fit].sort((a, b) => {
    const [ra, rb] = [rank(a), rank(b)];
    return ra[0] - rb[0] || ra[1] - rb[1] || a.id.localeCompare(b.id);
  });
  return sorted[0] ?? null;
}

/** The constraint that keeps a service on its node. */
export function pinConstraint(nodeId: string): string {
  return `node.id==${nodeId}`;
}
