/**
 * Standalone remote servers (issue 15 item 5): a service placed on `server` with a `serverId`
 * runs on that server's engine, reached through its connection (TLS or SSH), instead of Berth's
 * own (`deps.engine`). Its containers publish their port on the server's 0.0.0.0 and the host's
 * edge proxy dials `<server host>:<port>`.
 *
 * Who may use one: the instance owner adds servers (servers/); every team may place its services
 * on them (like Coolify's and Dokploy's instance-wide servers, without a per-team allow-list
 * yet), and choosing a service's server is a team admin's action (services.setPlacement).
 */
import { DockerEngine, engineMessage, type ContainerEngine } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { engineConnectionOf } from "./server-connection.ts";
import type { ServerRow } from "./server-view.ts";
import { loopbackAddress } from "../proxy/upstream-ports.ts";

/** A service's engine: Berth's own (server null), or a standalone server's through its connection. */
export interface ServiceEngine {
  engine: ContainerEngine;
  /** Null: Berth's own engine. */
  server: ServerRow | null;
  /** Where the service's published ports are reached from Berth's host. */
  host: string;
}

/** Why this server cannot hold services on its own, or null. PURE. */
export function standaloneProblem(row: Pick<ServerRow, "name" | "kind" | "swarmNodeId">): string | null {
  if (row.swarmNodeId !== null) return `${row.name} is a node of the cluster: place the service on the cluster instead`;
  if (row.kind !== "tls" && row.kind !== "ssh")
    return `${row.name} is a local socket on Berth's own host: only a server reached over TLS or SSH can hold services of its own`;
  return null;
}

/** How long placing a service waits for the two engines to say who they are. */
const IDENTIFY_TIMEOUT_MS = 10_000;

/**
 * Why a TLS or SSH server cannot hold services although it passes `standaloneProblem`: it is
 * Berth's own engine reached another way (e.g. this host's address over SSH), whose containers
 * the reconciler keeps to the services placed on Berth's own server -- it would remove them as
 * strays -- or it does not answer, so that cannot be told. A marker made on Berth's engine is
 * looked for on the server's (engine `withIdentityMarker`).
 */
export async function ownEngineProblem(deps: Pick<Deps, "box" | "engine">, row: ServerRow): Promise<string | null> {
  try {
    const server = new DockerEngine({ connection: engineConnectionOf(deps, row), timeoutMs: IDENTIFY_TIMEOUT_MS });
    const same = await deps.engine.withIdentityMarker((marker) => server.hasIdentityMarker(marker));
    return same
      ? `${row.name} is Berth's own Docker Engine, reached over ${row.kind.toUpperCase()}: place the service on Berth's own server instead`
      : null;
  } catch (err) {
    return `${row.name} does not answer (${engineMessage(err)}): check it on the Servers page, then choose it again`;
  }
}

/** `host:port` as a dial address (an IPv6 host in brackets). PURE. */
export const dialAddress = (host: string, port: number): string => loopbackAddress(port, host);

/** The engine of one standalone server (requests with the engine's default deadline). */
export function standaloneEngine(deps: Pick<Deps, "box">, row: ServerRow): { engine: DockerEngine; host: string } {
  const problem = standaloneProblem(row);
  if (problem) throw new DomainError("CONFLICT", problem);
  return { engine: new DockerEngine({ connection: engineConnectionOf(deps, row) }), host: row.host ?? "" };
}

/** The engine a service placed on `server` runs on. */
export async function serviceEngineOf(
  deps: Pick<Deps, "db" | "box" | "engine">,
  service: { serverId: string | null },
): Promise<ServiceEngine> {
  if (service.serverId === null) return { engine: deps.engine, server: null, host: "127.0.0.1" };
  // The foreign key restricts removal: a placed service's server row is there.
  const row = await deps.db.server.findUniqueOrThrow({ where: { id: service.serverId } });
  const { engine, host } = standaloneEngine(deps, row);
  return { engine, server: row, host };
}

/** Fails with the reason when the service's server does not answer (before anything of its release is touched). */
export async function assertAnswers(target: ServiceEngine): Promise<void> {
  if (target.server === null) return;
  try {
    await target.engine.ping();
  } catch (err) {
    throw new DomainError("ENGINE_UNAVAILABLE", `The service's server ${target.server.name} does not answer: ${engineMessage(err)}`);
  }
}

/** A standalone server as a service's page shows it. */
export interface StandaloneView {
  id: string;
  name: string;
  state: string;
}

export async function standaloneView(db: Deps["db"], serverId: string): Promise<StandaloneView | null> {
  return db.server.findUnique({ where: { id: serverId }, select: { id: true, name: true, state: true } });
}

/** Every server a service may be placed on alone: reached over TLS or SSH, in no cluster. */
export async function standaloneTargets(db: Deps["db"]): Promise<StandaloneView[]> {
  return db.server.findMany({
    where: { kind: { in: ["tls", "ssh"] }, swarmNodeId: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, state: true },
  });
}
