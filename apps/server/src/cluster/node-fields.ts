/** A swarm node as the columns of its server row (what the Servers page shows). PURE. */
import type { SwarmNode } from "@berth/engine";

export function nodeFields(node: SwarmNode) {
  return {
    swarmNodeId: node.id,
    swarmRole: node.role,
    swarmNodeState: node.state,
    swarmAvailability: node.availability,
    swarmLabels: node.labels,
  };
}
