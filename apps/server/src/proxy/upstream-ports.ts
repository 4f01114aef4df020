import { createServer } from "node:net";
import type { Db } from "@berth/db";
import { isUniqueViolation } from "../db-errors.ts";

/** True when nothing listens on 127.0.0.1:port right now (bound, then released). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/**
 * The service's pair of upstream ports (P, P+1), allocated once from the range: the lowest
 * even P whose pair no other service holds and nothing on the host listens on. The unique
 * index settles a race between two allocations.
 */
export async function ensureUpstreamPorts(db: Db, serviceId: string, range: { from: number; to: number }): Promise<number> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const service = await db.service.findUniqueOrThrow({ where: { id: serviceId }, select: { proxyPort: true } });
    if (service.proxyPort !== null) return service.proxyPort;
    const taken = new Set((await db.service.findMany({ where: { proxyPort: { not: null } }, select: { proxyPort: true } })).map((s) => s.proxyPort));
    const first = range.from % 2 === 0 ? range.from : range.from + 1;
    let port: number | undefined;
    for (let p = first; p + 1 <= range.to; p += 2) {
      if (taken.has(p) || !(await portFree(p)) || !(await portFree(p + 1))) continue;
      port = p;
      break;
    }
    if (port === undefined) throw new Error(`No free pair of upstream ports left in BERTH_PROXY_UPSTREAM_PORTS (${range.from}-${range.to})`);
    try {
      await db.service.updateMany({ where: { id: serviceId, proxyPort: null }, data: { proxyPort: port } });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new Error("Could not allocate upstream ports for the service");
}

/** The two upstream addresses of a service with ports (P, P+1). PURE. */
export function upstreamsOf(proxyPort: number): string[] {
  return [`127.0.0.1:${proxyPort}`, `127.0.0.1:${proxyPort + 1}`];
}
