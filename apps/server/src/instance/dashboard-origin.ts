import type { Db } from "@berth/db";

/**
 * The stored dashboard domain and the origin it makes. Apart from dashboard-domain.ts (the use
 * cases) because the edge proxy and the trusted origins read it, and the proxy is part of Deps:
 * importing the use cases from there would make a circle through deps.ts.
 */

/** https://<domain> on the proxy's HTTPS port. PURE. */
export function dashboardOrigin(domain: string, httpsPort: number): string {
  return `https://${domain}${httpsPort === 443 ? "" : `:${httpsPort}`}`;
}

/** instance_settings.dashboardDomain ("" = none). */
export async function readDashboardDomain(db: Db): Promise<string> {
  const row = await db.instanceSettings.findUnique({ where: { id: 1 }, select: { dashboardDomain: true } });
  return row?.dashboardDomain ?? "";
}
