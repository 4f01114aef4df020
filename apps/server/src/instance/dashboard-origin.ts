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

/** How long a read of the dashboard domain answers the origin checks (recentDashboardDomain). */
export const RECENT_DASHBOARD_DOMAIN_MS = 1000;

const recent = new WeakMap<Db, { domain: string; until: number }>();
/** Bumped by every forget: a read that was under way meanwhile may hold the old domain. */
const forgets = new WeakMap<Db, number>();

/**
 * The dashboard domain as read at most RECENT_DASHBOARD_DOMAIN_MS ago by this database client:
 * every mutation's origin check and socket handshake needs it before its own work, and a read
 * per request was one more round trip in front of each. It changes only through
 * storeDashboardDomain, which forgets it here at once; another control-plane process trusts a
 * changed domain within the second. A failed read is not remembered, nor one under way while
 * the domain was set.
 */
export async function recentDashboardDomain(db: Db): Promise<string> {
  const hit = recent.get(db);
  if (hit && hit.until > Date.now()) return hit.domain;
  const generation = forgets.get(db) ?? 0;
  const domain = await readDashboardDomain(db);
  if ((forgets.get(db) ?? 0) === generation) recent.set(db, { domain, until: Date.now() + RECENT_DASHBOARD_DOMAIN_MS });
  return domain;
}

/** After the stored domain changed: the next origin check reads it anew. */
export function forgetDashboardDomain(db: Db): void {
  recent.delete(db);
  forgets.set(db, (forgets.get(db) ?? 0) + 1);
}
