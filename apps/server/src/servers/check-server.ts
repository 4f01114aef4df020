/**
 * "Is this server there, and what is it?": connects to its engine (socket, TCP+TLS or SSH
 * through the pinned host key), reads version, CPUs, memory and disk, and stores the state:
 * reachable, unreachable (with the reason), or host_key_mismatch (never re-pinned silently;
 * the owner removes and re-adds the server to trust a new key). Every step has a deadline.
 */
import { DockerEngine, type EngineConnection, type EngineSystemInfo } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { notFound } from "../errors.ts";
import { engineConnectionOf } from "./server-connection.ts";
import { sshFirstContact } from "./ssh-first-contact.ts";
import { serverView, type ServerRow, type ServerView } from "./server-view.ts";

/** A server's engine answers ordinary requests within this (a check never hangs). */
export const CHECK_TIMEOUT_MS = 10_000;

type Outcome =
  | { state: "reachable"; info: EngineSystemInfo }
  | { state: "unreachable"; reason: string }
  | { state: "host_key_mismatch"; reason: string };

async function probeEngine(connection: EngineConnection): Promise<Outcome> {
  try {
    const engine = new DockerEngine({ connection, timeoutMs: CHECK_TIMEOUT_MS });
    // The ping's short deadline answers "is anything there" fast; over SSH the handshake has
    // just answered that, and a new session (handshake + `docker system dial-stdio`) per request
    // can take longer than a ping is given on a busy host.
    if (connection.kind !== "ssh") await engine.ping();
    return { state: "reachable", info: await engine.systemInfo() };
  } catch (err) {
    return { state: "unreachable", reason: err instanceof Error ? err.message : String(err) };
  }
}

/** Probe one server; may pin the SSH host key (first contact). Returns the fields to store. */
async function probe(deps: Pick<Deps, "db" | "env" | "box">, row: ServerRow): Promise<Outcome> {
  switch (row.kind) {
    case "socket":
    case "tls":
      return probeEngine(engineConnectionOf(deps, row));
    case "ssh": {
      const privateKey = deps.box.open(row.sshPrivateKey ?? "");
      const target = { host: row.host ?? "", port: row.port ?? 22, username: row.sshUsername ?? "", privateKey };
      const contact = await sshFirstContact({ ...target, pinned: row.hostKeySha256 });
      if (!contact.ok && contact.kind === "host_key_mismatch") {
        return {
          state: "host_key_mismatch",
          reason: `the host key changed: pinned ${row.hostKeySha256}, the server now shows ${contact.seen}. If the server was reinstalled, remove it and add it again; otherwise someone may be impersonating it.`,
        };
      }
      const fingerprint = contact.hostKeySha256;
      // Trust on first use: the key seen at the first handshake is pinned, only if none is yet.
      if (row.hostKeySha256 === null && fingerprint) {
        await deps.db.server.updateMany({ where: { id: row.id, hostKeySha256: null }, data: { hostKeySha256: fingerprint } });
      }
      if (!contact.ok) return { state: "unreachable", reason: contact.reason };
      return probeEngine({ kind: "ssh", ...target, hostKeySha256: row.hostKeySha256 ?? contact.hostKeySha256 });
    }
    default:
      return { state: "unreachable", reason: `unknown server kind ${row.kind}` };
  }
}

export async function checkServer(deps: Pick<Deps, "db" | "env" | "box">, serverId: string): Promise<ServerView> {
  const row = await deps.db.server.findUnique({ where: { id: serverId } });
  if (!row) throw notFound("Server");
  const outcome = await probe(deps, row);
  const now = new Date();
  const data =
    outcome.state === "reachable"
      ? {
          state: "reachable",
          stateReason: null,
          dockerVersion: outcome.info.dockerVersion,
          cpus: outcome.info.cpus,
          memoryBytes: BigInt(outcome.info.memoryBytes),
          diskBytes: BigInt(outcome.info.diskBytes),
          lastSeenAt: now,
          checkedAt: now,
        }
      : { state: outcome.state, stateReason: outcome.reason, checkedAt: now };
  // The row may have been removed meanwhile: then there is nothing to update.
  await deps.db.server.updateMany({ where: { id: serverId }, data });
  const updated = await deps.db.server.findUnique({ where: { id: serverId } });
  if (!updated) throw notFound("Server");
  return serverView(updated);
}
