/**
 * A server's engine as a swarm member, and the cluster's manager: the engines cluster use cases
 * drive. Every request has the server check's deadline, so a dead server is a clear error.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { engineMessage, SwarmCluster, type SwarmMembership, type SwarmNode } from "@berth/engine";
import type { Db } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { CHECK_TIMEOUT_MS } from "../servers/check-server.ts";
import { engineConnectionOf } from "../servers/server-connection.ts";
import type { ServerRow } from "../servers/server-view.ts";

export type ClusterDeps = Pick<Deps, "db" | "box" | "log">;

export function swarmOf(deps: Pick<Deps, "box">, row: ServerRow): SwarmCluster {
  return new SwarmCluster({ connection: engineConnectionOf(deps, row), timeoutMs: CHECK_TIMEOUT_MS });
}

/** The server's swarm membership; an engine that does not answer is an error at the server field. */
export async function membershipOf(swarm: SwarmCluster, row: ServerRow): Promise<SwarmMembership> {
  try {
    return await swarm.membership();
  } catch (err) {
    throw invalidField("serverId", `${row.name} is unreachable: ${engineMessage(err)}`);
  }
}

export function inAnotherSwarm(row: ServerRow, membership: SwarmMembership): DomainError {
  return invalidField(
    "serverId",
    `${row.name} is already part of another swarm (its node is ${membership.state}); Berth does not take over a swarm it did not form: make it leave that swarm first (docker swarm leave)`,
  );
}

export async function loadServer(db: Db, serverId: string): Promise<ServerRow> {
  const row = await db.server.findUnique({ where: { id: serverId } });
  if (!row) throw invalidField("serverId", "Unknown server");
  return row;
}

/** A server that forms or joins the cluster must hold no services of its own (servers/standalone-server.ts). */
export async function refuseStandaloneHolder(db: Db, row: ServerRow): Promise<void> {
  const placed = await db.service.count({ where: { serverId: row.id } });
  if (placed > 0)
    throw invalidField(
      "serverId",
      `${row.name} holds ${placed} service${placed === 1 ? "" : "s"} placed on it alone: move or delete them before it joins the cluster`,
    );
}

export interface Manager {
  row: ServerRow;
  swarm: SwarmCluster;
}

/**
 * A manager that answers: the cluster's own first, then any other manager server. `except`
 * leaves out a server (the one leaving). None answering is a clear ENGINE_UNAVAILABLE.
 */
export async function reachableManager(deps: ClusterDeps, except?: string): Promise<Manager> {
  const cluster = await deps.db.cluster.findUnique({ where: { id: 1 } });
  if (!cluster) throw new DomainError("CONFLICT", "Cluster mode is off: create a cluster on a server first");
  const managers = await deps.db.server.findMany({
    where: { swarmRole: "manager", swarmNodeId: { not: null } },
    orderBy: { createdAt: "asc" },
  });
  const ordered = [
    ...managers.filter((m) => m.id === cluster.managerServerId),
    ...managers.filter((m) => m.id !== cluster.managerServerId),
  ];
  const reasons: string[] = [];
  for (const row of ordered) {
    if (row.id === except) continue;
    const swarm = swarmOf(deps, row);
    try {
      if ((await swarm.membership()).manager) return { row, swarm };
      reasons.push(`${row.name} is no longer a manager`);
    } catch (err) {
      reasons.push(`${row.name}: ${engineMessage(err)}`);
    }
  }
  throw new DomainError("ENGINE_UNAVAILABLE", `No manager of the cluster answers${reasons.length ? ` (${reasons.join("; ")})` : ""}`);
}

/** How long a new node may take to report ready (so the first view shows it, not `unknown`). */
export const NODE_SETTLE_TIMEOUT_MS = 20_000;

/** A node as the manager reports it once it has settled (ready or down), or as it is at the deadline. */
export async function settledNode(manager: SwarmCluster, nodeId: string): Promise<SwarmNode> {
  const deadline = Date.now() + NODE_SETTLE_TIMEOUT_MS;
  for (;;) {
    const node = await manager.node(nodeId);
    if (node.state === "ready" || node.state === "down" || Date.now() > deadline) return node;
    await sleep(250);
  }
}
