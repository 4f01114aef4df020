/**
 * The Docker Engines Berth reaches (instance owner only; instanceOwnerProcedure checks before
 * these run): list, add, remove. An SSH server gets a key pair Berth generates (ed25519; the
 * public key is shown to put in authorized_keys); its host key is pinned at the first check.
 * Private keys are sealed at rest and never leave through a view, a log line or an argv.
 */
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { DomainError, invalidField, notFound } from "../errors.ts";
import { generateDeployKey } from "../sources/deploy-key.ts";
import type { Actor } from "../teams/access.ts";
import type { AddServerInput } from "./server-input.ts";
import { serverView, type ServerView } from "./server-view.ts";
import { servicesPlacedOn } from "./placement.ts";
import { checkServer } from "./check-server.ts";
import { leaveClusterAndDelete } from "../cluster/leave-cluster.ts";
import { refreshClusterNodes } from "../cluster/refresh-nodes.ts";

export async function listServers(deps: Pick<Deps, "db">): Promise<ServerView[]> {
  const rows = await deps.db.server.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map(serverView);
}

function connectionData(deps: Pick<Deps, "env" | "box">, input: AddServerInput, name: string) {
  const box = deps.box;
  switch (input.kind) {
    case "socket":
      return { kind: "socket", socketPath: input.socketPath };
    case "tls":
      return { kind: "tls", host: input.host, port: input.port, tlsCa: input.ca, tlsCert: input.cert, tlsKey: box.seal(input.key) };
    case "ssh": {
      const pair = generateDeployKey(`berth-server-${name}`);
      return {
        kind: "ssh",
        host: input.host,
        port: input.port,
        sshUsername: input.username,
        sshPrivateKey: box.seal(pair.privateKey),
        sshPublicKey: pair.publicKey,
      };
    }
  }
}

/** Stores the server, then checks it at once: the answer carries its first state (and the SSH public key). */
export async function addServer(deps: Pick<Deps, "db" | "env" | "box">, actor: Actor, input: AddServerInput): Promise<ServerView> {
  try {
    const row = await deps.db.server.create({ data: { name: input.name, ...connectionData(deps, input, input.name) } });
    await recordAudit(deps.db, actor, {
      teamId: null,
      action: "server.add",
      targetType: "server",
      targetId: row.id,
      detail: { name: row.name, kind: row.kind, address: serverView(row).address },
    });
    return await checkServer(deps, row.id);
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField("name", `A server named ${input.name} already exists`);
    throw err;
  }
}

export async function removeServer(deps: Pick<Deps, "db" | "env" | "box" | "log">, actor: Actor, serverId: string): Promise<{ ok: true }> {
  const row = await deps.db.server.findUnique({ where: { id: serverId } });
  if (!row) throw notFound("Server");
  const placed = await servicesPlacedOn(deps, row);
  if (placed > 0) {
    throw new DomainError(
      "CONFLICT",
      `${row.name} still runs ${placed} service${placed === 1 ? "" : "s"}: move or delete them first (draining a server arrives with cluster mode)`,
    );
  }
  // A cluster node is drained and leaves the swarm first (cluster/leave-cluster.ts).
  if (row.swarmNodeId !== null) await leaveClusterAndDelete(deps, row);
  else await deps.db.server.deleteMany({ where: { id: serverId } });
  await recordAudit(deps.db, actor, {
    teamId: null,
    action: "server.remove",
    targetType: "server",
    targetId: serverId,
    detail: { name: row.name, kind: row.kind, ...(row.swarmNodeId === null ? {} : { leftCluster: true, nodeId: row.swarmNodeId }) },
  });
  return { ok: true };
}

/** "Check now": the server's own state and, in cluster mode, every node's as a manager sees it. */
export async function checkServerNow(deps: Pick<Deps, "db" | "env" | "box" | "log">, serverId: string): Promise<ServerView> {
  const checked = await checkServer(deps, serverId);
  if (checked.node === null) return checked;
  await refreshClusterNodes(deps).catch((err: unknown) => deps.log.warn({ err: String(err) }, "cluster node refresh failed"));
  const row = await deps.db.server.findUnique({ where: { id: serverId } });
  return row ? serverView(row) : checked;
}
