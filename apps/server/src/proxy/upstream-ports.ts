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

export interface UpstreamBlock {
  /** First port of the block. */
  base: number;
  /** Ports in the block: two per replica slot (releases alternate between them). */
  count: number;
  /** True when this call allocated a new block (the proxy's config must list it before use). */
  changed: boolean;
}

/** Ports a service with this many replicas needs: a pair per replica, or room for the most replicas once it has more than one. PURE. */
export function blockSizeFor(replicas: number, maxReplicas: number): number {
  return replicas <= 1 ? 2 : 2 * maxReplicas;
}

async function allFree(from: number, count: number): Promise<boolean> {
  for (let p = from; p < from + count; p++) if (!(await portFree(p))) return false;
  return true;
}

/**
 * The service's block of upstream ports, allocated from the range: the lowest even start whose
 * block overlaps no other service's and where nothing on the host listens. A block too small
 * for the replicas is replaced by a larger one (only when scaling beyond one replica for the
 * first time). The unique index on proxyPort and the conditional update settle a race.
 */
export async function ensureUpstreamPorts(
  db: Db,
  serviceId: string,
  range: { from: number; to: number },
  count = 2,
): Promise<UpstreamBlock> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const service = await db.service.findUniqueOrThrow({ where: { id: serviceId }, select: { proxyPort: true, proxyPortCount: true } });
    if (service.proxyPort !== null && service.proxyPortCount >= count)
      return { base: service.proxyPort, count: service.proxyPortCount, changed: false };
    const others = await db.service.findMany({
      where: { proxyPort: { not: null }, id: { not: serviceId } },
      select: { proxyPort: true, proxyPortCount: true },
    });
    const overlaps = (p: number) =>
      others.some((o) => o.proxyPort !== null && p < o.proxyPort + o.proxyPortCount && o.proxyPort < p + count);
    const first = range.from % 2 === 0 ? range.from : range.from + 1;
    let port: number | undefined;
    for (let p = first; p + count - 1 <= range.to; p += 2) {
      if (overlaps(p) || !(await allFree(p, count))) continue;
      port = p;
      break;
    }
    if (port === undefined)
      throw new Error(`No free block of ${count} upstream ports left in BERTH_PROXY_UPSTREAM_PORTS (${range.from}-${range.to})`);
    try {
      const { count: updated } = await db.service.updateMany({
        where: { id: serviceId, proxyPort: service.proxyPort },
        data: { proxyPort: port, proxyPortCount: count },
      });
      if (updated > 0) return { base: port, count, changed: true };
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
  }
  throw new Error("Could not allocate upstream ports for the service");
}

/** The dial address of an upstream port: on loopback, or at a standalone remote server's host. PURE. */
export function loopbackAddress(port: number, host = "127.0.0.1"): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}

/** The port of a dial address (its last colon-separated part). PURE. */
export function portOfAddress(address: string): number {
  return Number(address.slice(address.lastIndexOf(":") + 1));
}

/** The upstream addresses of a service's block of ports (at `host`: a remote server's, else loopback). PURE. */
export function upstreamsOf(proxyPort: number, count = 2, host?: string): string[] {
  return Array.from({ length: count }, (_, i) => loopbackAddress(proxyPort + i, host));
}

/** The ports replica 0..replicas-1 of release number N listen on: base + 2i + N % 2. PURE. */
export function releasePorts(base: number, replicas: number, releaseNumber: number): number[] {
  return Array.from({ length: replicas }, (_, i) => base + 2 * i + (releaseNumber % 2));
}
