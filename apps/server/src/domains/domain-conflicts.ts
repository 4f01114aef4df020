import type { Prisma } from "@berth/db";
import { DomainError } from "../errors.ts";
import { twinOf } from "../proxy/caddy-config.ts";

export interface Claim {
  hostname: string;
  pathPrefix: string;
  redirectTwin: boolean;
  teamId: string;
  /** The domain being changed (ignored in the check). */
  domainId?: string;
}

export function conflict(field: string, message: string): DomainError {
  return new DomainError("CONFLICT", message, { [field]: message });
}

/**
 * Refuse the dashboard's domain, a hostname another team uses, a (hostname, path) already routed, or a www/apex twin
 * clash. Messages never name the other service or team. Run inside the transaction that
 * writes, after taking the domains advisory lock.
 */
export async function assertClaimFree(tx: Prisma.TransactionClient, claim: Claim): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('berth.domains'))`;
  const names = [claim.hostname, twinOf(claim.hostname)];
  const settings = await tx.instanceSettings.findUnique({ where: { id: 1 }, select: { dashboardDomain: true } });
  const dashboard = settings?.dashboardDomain ?? "";
  if (dashboard && (claim.hostname === dashboard || (claim.redirectTwin && twinOf(claim.hostname) === dashboard))) {
    throw conflict(claim.hostname === dashboard ? "hostname" : "redirectTwin", `${dashboard} is this Berth instance's dashboard domain`);
  }
  const rows = await tx.domain.findMany({
    where: { hostname: { in: names }, ...(claim.domainId ? { id: { not: claim.domainId } } : {}) },
    select: { hostname: true, pathPrefix: true, redirectTwin: true, service: { select: { project: { select: { teamId: true } } } } },
  });
  for (const row of rows) {
    const sameTeam = row.service.project.teamId === claim.teamId;
    if (row.hostname === claim.hostname) {
      if (!sameTeam) throw conflict("hostname", `${claim.hostname} is already in use on this Berth instance`);
      if (row.pathPrefix === claim.pathPrefix)
        throw conflict("hostname", `${claim.hostname}${claim.pathPrefix} already routes to a service`);
      continue;
    }
    // row.hostname is the twin of the claimed hostname.
    if (row.redirectTwin) throw conflict("hostname", `${claim.hostname} is already in use on this Berth instance (as a www/apex redirect)`);
    if (claim.redirectTwin)
      throw conflict("redirectTwin", `${row.hostname} is already a domain on this instance, so it cannot redirect to ${claim.hostname}`);
  }
}
