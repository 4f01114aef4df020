/**
 * The address a server takes part in the swarm at (its advertise address): what the owner gave,
 * else the host Berth reaches it at when that is an IP. Docker wants an IP here, not a name,
 * and a local socket says nothing about where other nodes reach it. PURE.
 */
import { invalidField } from "../errors.ts";
import { parseAddress } from "../net/ip.ts";
import type { ServerRow } from "../servers/server-view.ts";

export const SWARM_PORT = 2377;

export function advertiseAddressFor(row: Pick<ServerRow, "kind" | "host">, given: string | undefined): string {
  const chosen = given ?? (row.kind === "socket" ? undefined : (row.host ?? undefined));
  const parsed = chosen === undefined ? null : parseAddress(chosen);
  if (parsed !== null) return parsed.toString();
  if (row.kind === "socket")
    throw invalidField("advertiseAddress", "A local socket says nothing about where other nodes reach this server: enter its IP address");
  throw invalidField("advertiseAddress", `${row.host ?? "The host"} is a name: enter the IP address other nodes reach this server at`);
}

/** host:port as Docker takes it (IPv6 in brackets). */
export function swarmAddr(address: string): string {
  return address.includes(":") ? `[${address}]:${SWARM_PORT}` : `${address}:${SWARM_PORT}`;
}
