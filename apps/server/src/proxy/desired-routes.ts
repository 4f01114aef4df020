import type { Db } from "@berth/db";
import { SealError, type SealedBox } from "../secrets/sealed-box.ts";
import type { ProxyRoute, TlsSettings } from "./caddy-config.ts";
import { loopbackAddress, upstreamsOf } from "./upstream-ports.ts";

/**
 * The routes Caddy should serve, from Postgres alone: each domain of a service that has a live
 * release and should run goes to the service's block of stable upstream ports (its releases
 * alternate between the two ports of each replica slot, so a redeploy leaves this unchanged); otherwise nothing (503).
 */
export async function loadDesiredRoutes(db: Db, box: SealedBox): Promise<ProxyRoute[]> {
  const domains = await db.domain.findMany({
    orderBy: { id: "asc" },
    include: {
      service: {
        select: {
          proxyPort: true,
          proxyPortCount: true,
          servingPorts: true,
          replicas: true,
          kind: true,
          desiredState: true,
          project: { select: { teamId: true } },
          deployments: { where: { status: "succeeded" }, take: 1, select: { id: true } },
        },
      },
    },
  });
  return domains.map((d) => {
    const { proxyPort, proxyPortCount, servingPorts, replicas, kind, desiredState, deployments } = d.service;
    // Only web services are behind the proxy; workers and TCP services have no HTTP route.
    const serving = kind === "web" && proxyPort !== null && desiredState === "running" && deployments.length > 0;
    return {
      domainId: d.id,
      hostname: d.hostname,
      pathPrefix: d.pathPrefix,
      redirectTwin: d.redirectTwin,
      ...(d.basicAuthUser && d.basicAuthHash ? { basicAuth: { user: d.basicAuthUser, hash: d.basicAuthHash } } : {}),
      ipAllowList: d.ipAllowList,
      // The ports of the replica slots in use (two each); a block has room for more.
      upstreams: serving ? upstreamsOf(proxyPort, Math.min(proxyPortCount, 2 * replicas)) : [],
      serving: serving ? servingPorts.map(loopbackAddress) : [],
      teamId: d.service.project.teamId,
      ...customCertOf(box, d),
    };
  });
}

/**
 * An uploaded certificate with its private key opened (keys are sealed at rest). A key no
 * configured BERTH_SECRET opens fails closed: the domain falls back to the instance's issuer.
 */
function customCertOf(
  box: SealedBox,
  d: { certPem: string | null; keyPem: string | null },
): { customCert?: { certPem: string; keyPem: string } } {
  if (!d.certPem || !d.keyPem) return {};
  try {
    return { customCert: { certPem: d.certPem, keyPem: box.open(d.keyPem) } };
  } catch (err) {
    if (err instanceof SealError) return {};
    throw err;
  }
}

export async function loadTlsSettings(db: Db): Promise<TlsSettings> {
  const s = await db.instanceSettings.findUnique({ where: { id: 1 }, select: { tlsIssuer: true, acmeEmail: true, acmeStaging: true } });
  return { issuer: s?.tlsIssuer ?? "internal", acmeEmail: s?.acmeEmail ?? "", acmeStaging: s?.acmeStaging ?? false };
}
