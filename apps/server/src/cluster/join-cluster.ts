/**
 * "Add to cluster": a reachable server joins Berth's swarm with the join token fetched through
 * a manager's engine connection (no copy-paste). The token is a secret: it goes from one engine
 * call straight into the next, never into an answer, a log line, the audit or an argv.
 * The row says "node" only after the join succeeded; a failed join is undone on the engine
 * (it may be left trying in the background), so no state anywhere says it joined.
 */
import { engineMessage, type SwarmCluster, type SwarmMembership } from "@berth/engine";
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { DomainError, invalidField } from "../errors.ts";
import { serverView, type ServerRow, type ServerView } from "../servers/server-view.ts";
import type { Actor } from "../teams/access.ts";
import { advertiseAddressFor, swarmAddr } from "./advertise-address.ts";
import type { JoinClusterInput } from "./cluster-input.ts";
import { nodeFields } from "./node-fields.ts";
import {
  inAnotherSwarm,
  loadServer,
  refuseStandaloneHolder,
  membershipOf,
  reachableManager,
  settledNode,
  swarmOf,
  type ClusterDeps,
  type Manager,
} from "./swarm-of.ts";

/** Join through the managers the swarm lists as ready; undo a half-done join. */
async function join(
  deps: ClusterDeps,
  manager: Manager,
  swarm: SwarmCluster,
  row: ServerRow,
  input: { role: "worker" | "manager"; address: string },
) {
  const nodes = await manager.swarm.nodes();
  const remoteAddrs = nodes.filter((n) => n.managerAddr !== null && n.state === "ready").map((n) => n.managerAddr as string);
  const joinToken = await manager.swarm.joinToken(input.role);
  try {
    await swarm.join({ remoteAddrs, joinToken, advertiseAddr: swarmAddr(input.address) });
  } catch (err) {
    await swarm
      .leave(true)
      .catch((leaveErr: unknown) => deps.log.warn({ serverId: row.id, err: String(leaveErr) }, "could not undo a failed join"));
    throw new DomainError("ENGINE_FAILED", `${row.name} could not join the cluster: ${engineMessage(err)}`);
  }
}

/** The join happened but could not be recorded: take it back on both sides. */
async function undoJoin(deps: ClusterDeps, manager: Manager, swarm: SwarmCluster, row: ServerRow, nodeId: string): Promise<void> {
  try {
    await swarm.leave(true);
    await manager.swarm.removeNode(nodeId, true);
  } catch (err) {
    deps.log.warn({ serverId: row.id, err: String(err) }, "could not undo a join that was not recorded");
  }
}

/** Already in Berth's own swarm (a join whose recording failed): then it is adopted, not joined again. */
async function isOurs(manager: Manager, membership: SwarmMembership): Promise<boolean> {
  if (membership.state !== "active" || membership.nodeId === "") return false;
  return (await manager.swarm.nodes()).some((n) => n.id === membership.nodeId);
}

export async function joinCluster(deps: ClusterDeps, actor: Actor, input: JoinClusterInput): Promise<ServerView> {
  const row = await loadServer(deps.db, input.serverId);
  if (row.swarmNodeId !== null) throw invalidField("serverId", `${row.name} is already a node of the cluster`);
  await refuseStandaloneHolder(deps.db, row);
  const manager = await reachableManager(deps);
  const address = advertiseAddressFor(row, input.advertiseAddress);
  const swarm = swarmOf(deps, row);
  const before = await membershipOf(swarm, row);
  const adopt = await isOurs(manager, before);
  if (before.state !== "inactive" && !adopt) throw inAnotherSwarm(row, before);
  if (!adopt) await join(deps, manager, swarm, row, { role: input.role, address });

  const nodeId = (await swarm.membership()).nodeId;
  const node = await settledNode(manager.swarm, nodeId);
  let updated: ServerRow;
  try {
    updated = await deps.db.server.update({ where: { id: row.id }, data: { ...nodeFields(node), swarmAddress: address } });
  } catch (err) {
    if (isUniqueViolation(err))
      throw invalidField("serverId", `${row.name} reaches an engine that is already a node of the cluster (as another server)`);
    if (!adopt) await undoJoin(deps, manager, swarm, row, nodeId);
    throw err;
  }
  await recordAudit(deps.db, actor, {
    teamId: null,
    action: "cluster.join",
    targetType: "server",
    targetId: row.id,
    detail: { server: row.name, role: node.role, nodeId, advertiseAddress: address },
  });
  return serverView(updated);
}
