import type { Db } from "@berth/db";
import type { ContainerEngine } from "@berth/engine";
import type { ProxyRoute, TlsSettings } from "./caddy-config.ts";

/** Upstream dial addresses of each service's live release (published on 127.0.0.1). */
async function liveUpstreams(db: Db, engine: ContainerEngine, serviceIds: string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (serviceIds.length === 0) return result;
  const live = await db.$queryRaw<{ serviceId: string; id: string }[]>`
    SELECT DISTINCT ON ("serviceId") "serviceId", id FROM deployment
    WHERE status = 'succeeded' AND "serviceId" = ANY(${serviceIds})
    ORDER BY "serviceId", "finishedAt" DESC NULLS LAST, "createdAt" DESC`;
  const liveIds = new Set(live.map((d) => d.id));
  for (const c of await engine.listManaged()) {
    if (!liveIds.has(c.deploymentId) || c.state !== "running" || c.hostPort === null) continue;
    const list = result.get(c.owner.serviceId) ?? [];
    list.push(`127.0.0.1:${c.hostPort}`);
    result.set(c.owner.serviceId, list.sort());
  }
  return result;
}

/**
 * The routes Caddy should serve, from Postgres (domains, live deployments) and the engine
 * (the live containers' published ports). `overrides` (service -> upstreams) wins: a release
 * being handed over is live for the proxy before its deployment row says so.
 */
export async function loadDesiredRoutes(db: Db, engine: ContainerEngine, overrides: ReadonlyMap<string, string[]>): Promise<ProxyRoute[]> {
  const domains = await db.domain.findMany({ orderBy: { id: "asc" } });
  const upstreams = await liveUpstreams(db, engine, [...new Set(domains.map((d) => d.serviceId))]);
  return domains.map((d) => ({
    domainId: d.id,
    hostname: d.hostname,
    pathPrefix: d.pathPrefix,
    redirectTwin: d.redirectTwin,
    ...(d.basicAuthUser && d.basicAuthHash ? { basicAuth: { user: d.basicAuthUser, hash: d.basicAuthHash } } : {}),
    ipAllowList: d.ipAllowList,
    upstreams: overrides.get(d.serviceId) ?? upstreams.get(d.serviceId) ?? [],
    ...(d.certPem && d.keyPem ? { customCert: { certPem: d.certPem, keyPem: d.keyPem } } : {}),
  }));
}

export async function loadTlsSettings(db: Db): Promise<TlsSettings> {
  const s = await db.instanceSettings.findUnique({ where: { id: 1 }, select: { tlsIssuer: true, acmeEmail: true, acmeStaging: true } });
  return { issuer: s?.tlsIssuer ?? "internal", acmeEmail: s?.acmeEmail ?? "", acmeStaging: s?.acmeStaging ?? false };
}
