/**
 * Removing a server that is a cluster node: demote it if it is a manager (others keep the
 * quorum), drain it (its tasks move to the other nodes), make it leave the swarm through its own
 * engine, remove the node from a manager's list, then delete the row -- in that order, so a
 * failure stops before the row goes. The last manager cannot go while other nodes remain; the
 * last node takes cluster mode with it. A node whose engine no longer answers is removed from the
 * manager's list by force (it is down; if it comes back it still thinks it is in the swarm).
 * A node that holds a pinned service's volume (pin-service.ts) is refused first, naming it.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { DomainError } from "../errors.ts";
import type { ServerRow } from "../servers/server-view.ts";
import { engineMessage } from "@berth/engine";
import { refuseIfPinnedHere } from "./pin-service.ts";
import { reachableManager, swarmOf, type ClusterDeps, type Manager } from "./swarm-of.ts";

/** Bounds on what Swarm does in the background (demotion, tasks moving away). */
export const DEMOTE_TIMEOUT_MS = 30_000;
export const DRAIN_TIMEOUT_MS = 120_000;
const POLL_MS = 500;

async function waitFor(what: string, timeoutMs: number, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new DomainError("TIMEOUT", `${what} within ${timeoutMs / 1000} s`);
    await sleep(POLL_MS);
  }
}

async function refuseLastManager(deps: ClusterDeps, row: ServerRow): Promise<ServerRow[]> {
  const others = await deps.db.server.findMany({
    where: { swarmNodeId: { not: null }, id: { not: row.id } },
    orderBy: { createdAt: "asc" },
  });
  if (row.swarmRole === "manager" && others.length > 0 && !others.some((o) => o.swarmRole === "manager")) {
    const names = others.map((o) => o.name).join(", ");
    throw new DomainError(
      "CONFLICT",
      `${row.name} is the cluster's last manager: remove the other node${others.length === 1 ? "" : "s"} first (${names}), or add another server as a manager`,
    );
  }
  return others;
}

/** Out of the swarm on the node's side; an engine that does not answer cannot be asked. */
async function leaveOnNode(deps: ClusterDeps, row: ServerRow, force: boolean): Promise<void> {
  try {
    await swarmOf(deps, row).leave(force);
  } catch (err) {
    const swarm = swarmOf(deps, row);
    const answers = await swarm.membership().then(
      (m) => m.state !== "inactive",
      () => false,
    );
    if (answers) throw new DomainError("ENGINE_FAILED", `${row.name} could not leave the swarm: ${engineMessage(err)}`);
    deps.log.warn({ serverId: row.id, err: engineMessage(err) }, "node did not answer; removing it from the swarm by force");
  }
}

async function moveOff(deps: ClusterDeps, manager: Manager, row: ServerRow, nodeId: string): Promise<void> {
  if (row.swarmRole === "manager") {
    await manager.swarm.updateNode(nodeId, { role: "worker" });
    // Demoted for real: the manager lists no manager status for it, and the node itself (if it
    // answers) no longer holds control, else leaving without force is refused.
    const own = swarmOf(deps, row);
    await waitFor(`${row.name} was not demoted`, DEMOTE_TIMEOUT_MS, async () => {
      if ((await manager.swarm.node(nodeId)).managerAddr !== null) return false;
      return own.membership().then(
        (m) => !m.manager,
        () => true,
      );
    });
  }
  await manager.swarm.updateNode(nodeId, { availability: "drain" });
  await waitFor(
    `the tasks on ${row.name} did not move to other nodes`,
    DRAIN_TIMEOUT_MS,
    async () => (await manager.swarm.runningTasksOn(nodeId)) === 0,
  );
}

/** Everything above, ending with the row deleted (and the cluster row moved or gone). */
export async function leaveClusterAndDelete(deps: ClusterDeps, row: ServerRow): Promise<void> {
  const nodeId = row.swarmNodeId;
  if (nodeId === null) throw new DomainError("CONFLICT", `${row.name} is not a node of the cluster`);
  await refuseIfPinnedHere(deps, { name: row.name, swarmNodeId: nodeId }, "removing it");
  const others = await refuseLastManager(deps, row);
  if (others.length === 0) {
    await leaveOnNode(deps, row, true);
    await deps.db.$transaction([
      deps.db.cluster.deleteMany({ where: { id: 1 } }),
      deps.db.server.deleteMany({ where: { id: row.id } }),
      // No pin outlives its node (those left hold no volume: refused above otherwise).
      deps.db.service.updateMany({ where: { pinnedNodeId: { not: null } }, data: { pinnedNodeId: null } }),
    ]);
    return;
  }
  const manager = await reachableManager(deps, row.id);
  await moveOff(deps, manager, row, nodeId);
  await leaveOnNode(deps, row, false);
  await manager.swarm.removeNode(nodeId, true);
  await deps.db.$transaction([
    deps.db.cluster.updateMany({ where: { id: 1, managerServerId: row.id }, data: { managerServerId: manager.row.id } }),
    deps.db.server.deleteMany({ where: { id: row.id } }),
    deps.db.service.updateMany({ where: { pinnedNodeId: nodeId }, data: { pinnedNodeId: null } }),
  ]);
}
