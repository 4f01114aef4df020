/**
 * The engines a pass keeps: Berth's own, and each standalone server that holds services, through
 * its connection (servers/standalone-server.ts). A server's pass is skipped while it does not
 * answer its ping (a short deadline: a server that is down never holds up the others' repairs).
 */
import type { Deps } from "../deps.ts";
import { standaloneEngine } from "../servers/standalone-server.ts";
import { ownEngine, type ReconcileTarget } from "./observe.ts";

export async function reconcileTargets(deps: Pick<Deps, "db" | "engine" | "box" | "log">): Promise<ReconcileTarget[]> {
  const servers = await deps.db.server.findMany({ where: { services: { some: { placement: "server" } } } });
  const remote = servers.flatMap((row): ReconcileTarget[] => {
    try {
      return [{ serverId: row.id, engine: standaloneEngine(deps, row).engine }];
    } catch (err) {
      deps.log.warn({ serverId: row.id, err: String(err) }, "reconcile: a server holding services cannot be reached through its row");
      return [];
    }
  });
  return [ownEngine(deps), ...remote];
}
