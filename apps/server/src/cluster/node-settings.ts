/**
 * A node's availability (active / pause / drain: drain moves its tasks to the other nodes) and
 * its labels (what placement constraints will match), changed through a manager and stored as
 * the manager then reports the node.
 */
import type { NodeChange } from "@berth/engine";
import { recordAudit, type AuditAction } from "../audit/audit.ts";
import { invalidField } from "../errors.ts";
import { serverView, type ServerView } from "../servers/server-view.ts";
import type { Actor } from "../teams/access.ts";
import type { NodeAvailabilityInput, NodeLabelsInput } from "./cluster-input.ts";
import { nodeFields } from "./node-fields.ts";
import { refuseIfPinnedHere } from "./pin-service.ts";
import { loadServer, reachableManager, type ClusterDeps } from "./swarm-of.ts";

async function changeNode(
  deps: ClusterDeps,
  actor: Actor,
  serverId: string,
  change: NodeChange,
  audit: { action: AuditAction; detail: Record<string, string | string[]> },
): Promise<ServerView> {
  const row = await loadServer(deps.db, serverId);
  if (row.swarmNodeId === null) throw invalidField("serverId", `${row.name} is not a node of the cluster: add it to the cluster first`);
  if (change.availability === "drain") await refuseIfPinnedHere(deps, { name: row.name, swarmNodeId: row.swarmNodeId }, "draining it");
  const manager = await reachableManager(deps);
  const node = await manager.swarm.updateNode(row.swarmNodeId, change);
  const updated = await deps.db.server.update({ where: { id: row.id }, data: nodeFields(node) });
  await recordAudit(deps.db, actor, {
    teamId: null,
    action: audit.action,
    targetType: "server",
    targetId: row.id,
    detail: { server: row.name, ...audit.detail },
  });
  return serverView(updated);
}

export function setNodeAvailability(deps: ClusterDeps, actor: Actor, input: NodeAvailabilityInput): Promise<ServerView> {
  return changeNode(
    deps,
    actor,
    input.serverId,
    { availability: input.availability },
    {
      action: "cluster.node_availability",
      detail: { availability: input.availability },
    },
  );
}

export function setNodeLabels(deps: ClusterDeps, actor: Actor, input: NodeLabelsInput): Promise<ServerView> {
  const labels = Object.fromEntries(input.labels.map((l) => [l.key, l.value]));
  return changeNode(
    deps,
    actor,
    input.serverId,
    { labels },
    {
      action: "cluster.node_labels",
      detail: { labels: input.labels.map((l) => `${l.key}=${l.value}`) },
    },
  );
}
