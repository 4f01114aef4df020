/**
 * Which services run on a server, the question removal asks first. Today every service runs on
 * the engine of Berth's own socket (BERTH_DOCKER_SOCKET), so a socket server on that path holds
 * every service that has a release, and a remote server holds none: placement on remote servers
 * (standalone or Swarm) is where this grows a per-service answer.
 */
import type { Deps } from "../deps.ts";
import type { ServerRow } from "./server-view.ts";

export async function servicesPlacedOn(deps: Pick<Deps, "db" | "env">, server: ServerRow): Promise<number> {
  if (server.kind !== "socket" || server.socketPath !== deps.env.BERTH_DOCKER_SOCKET) return 0;
  return deps.db.service.count({ where: { releases: { some: {} } } });
}
