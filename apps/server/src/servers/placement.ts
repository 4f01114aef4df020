/**
 * Which services run on a server, the question removal asks first. A service placed on this
 * server runs on the engine of Berth's own socket (BERTH_DOCKER_SOCKET), so a socket server on
 * that path holds every such service that has a release; cluster services run on the swarm's
 * nodes, whose removal asks the cluster instead (cluster/leave-cluster.ts: drained first, refused
 * while a pinned service's volume lives there). A standalone remote server holds the services
 * placed on it (service.serverId; the foreign key restricts its removal too).
 */
import type { Deps } from "../deps.ts";
import type { ServerRow } from "./server-view.ts";

export async function servicesPlacedOn(deps: Pick<Deps, "db" | "env">, server: ServerRow): Promise<number> {
  const placed = await deps.db.service.count({ where: { serverId: server.id } });
  if (placed > 0) return placed;
  if (server.kind !== "socket" || server.socketPath !== deps.env.BERTH_DOCKER_SOCKET) return 0;
  return deps.db.service.count({ where: { placement: "server", serverId: null, releases: { some: {} } } });
}
