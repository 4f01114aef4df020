/**
 * "Create cluster": initialise a Docker Swarm on one reachable server through its engine
 * connection, and record it (the cluster row and the server as its first manager) only once the
 * swarm exists. A server already in a swarm is refused, never taken over; if recording fails,
 * the new swarm is left again, so nothing half-made remains.
 */
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { DomainError } from "../errors.ts";
import type { Actor } from "../teams/access.ts";
import { advertiseAddressFor, swarmAddr } from "./advertise-address.ts";
import type { CreateClusterInput } from "./cluster-input.ts";
import { getCluster, type ClusterView } from "./cluster-view.ts";
import { nodeFields } from "./node-fields.ts";
import { inAnotherSwarm, loadServer, refuseStandaloneHolder, membershipOf, settledNode, swarmOf, type ClusterDeps } from "./swarm-of.ts";

async function refuseIfOn(deps: ClusterDeps): Promise<void> {
  const existing = await getCluster(deps);
  if (existing) throw new DomainError("CONFLICT", `Cluster mode is already on (its manager is ${existing.managerName})`);
}

export async function createCluster(deps: ClusterDeps, actor: Actor, input: CreateClusterInput): Promise<ClusterView> {
  await refuseIfOn(deps);
  const row = await loadServer(deps.db, input.serverId);
  await refuseStandaloneHolder(deps.db, row);
  const address = advertiseAddressFor(row, input.advertiseAddress);
  const swarm = swarmOf(deps, row);
  const before = await membershipOf(swarm, row);
  if (before.state !== "inactive") throw inAnotherSwarm(row, before);

  const nodeId = await swarm.init(swarmAddr(address));
  try {
    const [after, node] = await Promise.all([swarm.membership(), settledNode(swarm, nodeId)]);
    await deps.db.$transaction([
      deps.db.cluster.create({ data: { id: 1, swarmId: after.clusterId ?? "", managerServerId: row.id } }),
      deps.db.server.update({ where: { id: row.id }, data: { ...nodeFields(node), swarmAddress: address } }),
    ]);
  } catch (err) {
    await swarm
      .leave(true)
      .catch((leaveErr: unknown) => deps.log.warn({ serverId: row.id, err: String(leaveErr) }, "could not undo swarm init"));
    if (isUniqueViolation(err)) await refuseIfOn(deps);
    throw err;
  }
  await recordAudit(deps.db, actor, {
    teamId: null,
    action: "cluster.create",
    targetType: "server",
    targetId: row.id,
    detail: { server: row.name, nodeId, advertiseAddress: address },
  });
  const view = await getCluster(deps);
  if (!view) throw new DomainError("CONFLICT", "The cluster was removed meanwhile");
  return view;
}
