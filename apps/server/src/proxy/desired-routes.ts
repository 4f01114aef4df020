import type { Db } from "@berth/db";
import type { ProxyRoute, TlsSettings } from "./caddy-config.ts";
import { upstreamsOf } from "./upstream-ports.ts";

/**
 * The routes Caddy should serve, from Postgres alone: each domain of a service that has a live
 * release and should run goes to the service's two stable upstream ports (its releases
 * alternate between them, so a redeploy leaves this unchanged); otherwise nothing (503).
 */
export async function loadDesiredRoutes(db: Db): Promise<ProxyRoute[]> {
  const domains = await db.domain.findMany({
    orderBy: { id: "asc" },
    include: { service: { select: { proxyPort: true, desiredState: true, deployments: { where: { status: "succeeded" }, take: 1, select: { id: true } } } } },
  });
  return domains.map((d) => {
    const { proxyPort, desiredState, deployments } = d.service;
    const serving = proxyPort !== null && desiredState === "running" && deployments.length > 0;
    return {
      domainId: d.id,
      hostname: d.hostname,
      pathPrefix: d.pathPrefix,
      redirectTwin: d.redirectTwin,
      ...(d.basicAuthUser && d.basicAuthHash ? { basicAuth: { user: d.basicAuthUser, hash: d.basicAuthHash } } : {}),
      ipAllowList: d.ipAllowList,
      upstreams: serving ? upstreamsOf(proxyPort) : [],
      ...(d.certPem && d.keyPem ? { customCert: { certPem: d.certPem, keyPem: d.keyPem } } : {}),
    };
  });
}

export async function loadTlsSettings(db: Db): Promise<TlsSettings> {
  const s = await db.instanceSettings.findUnique({ where: { id: 1 }, select: { tlsIssuer: true, acmeEmail: true, acmeStaging: true } });
  return { issuer: s?.tlsIssuer ?? "internal", acmeEmail: s?.acmeEmail ?? "", acmeStaging: s?.acmeStaging ?? false };
}
