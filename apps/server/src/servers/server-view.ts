/** A server as the Servers page and the API show it: never a private key or the TLS key. PURE. */
import type { Server } from "@berth/db";

export type ServerRow = Server;
export type ServerState = "pending" | "reachable" | "unreachable" | "host_key_mismatch";

export interface ServerView {
  id: string;
  name: string;
  kind: "socket" | "tls" | "ssh";
  /** Where it is: unix://path, host:port or user@host:port. */
  address: string;
  state: ServerState;
  stateReason: string | null;
  dockerVersion: string | null;
  cpus: number | null;
  memoryBytes: number | null;
  diskBytes: number | null;
  lastSeenAt: Date | null;
  checkedAt: Date | null;
  /** SSH: the public key to put in the server's authorized_keys, and the pinned host key. */
  sshPublicKey: string | null;
  hostKeySha256: string | null;
  createdAt: Date;
  /** Cluster mode: this server as a node of Berth's swarm (as the manager last saw it), or null. */
  node: ServerNodeView | null;
}

export interface ServerNodeView {
  id: string;
  role: "manager" | "worker";
  /** The address other nodes reach it at. */
  address: string | null;
  /** ready | down | unknown | disconnected */
  state: string | null;
  /** active | pause | drain */
  availability: string | null;
  labels: Record<string, string>;
}

function labelsOf(raw: unknown): Record<string, string> {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  return Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === "string"));
}

function nodeOf(row: ServerRow): ServerNodeView | null {
  if (row.swarmNodeId === null) return null;
  return {
    id: row.swarmNodeId,
    role: row.swarmRole === "manager" ? "manager" : "worker",
    address: row.swarmAddress,
    state: row.swarmNodeState,
    availability: row.swarmAvailability,
    labels: labelsOf(row.swarmLabels),
  };
}

function addressOf(row: ServerRow): string {
  if (row.kind === "socket") return `unix://${row.socketPath ?? ""}`;
  if (row.kind === "ssh") return `${row.sshUsername ?? ""}@${row.host ?? ""}:${row.port ?? 22}`;
  return `${row.host ?? ""}:${row.port ?? 2376}`;
}

export function serverView(row: ServerRow): ServerView {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as ServerView["kind"],
    address: addressOf(row),
    state: row.state as ServerState,
    stateReason: row.stateReason,
    dockerVersion: row.dockerVersion,
    cpus: row.cpus,
    memoryBytes: row.memoryBytes === null ? null : Number(row.memoryBytes),
    diskBytes: row.diskBytes === null ? null : Number(row.diskBytes),
    lastSeenAt: row.lastSeenAt,
    checkedAt: row.checkedAt,
    sshPublicKey: row.sshPublicKey,
    hostKeySha256: row.hostKeySha256,
    createdAt: row.createdAt,
    node: nodeOf(row),
  };
}
