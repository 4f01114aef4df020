import type { Db } from "@berth/db";
import { SealError, type SealedBox } from "../secrets/sealed-box.ts";
import type { ProxyRoute, TlsSettings } from "./caddy-config.ts";
import { loopbackAddress, upstreamsOf } from "./upstream-ports.ts";
import { clusterRouteKey } from "../cluster/routing/route-key.ts";

/** Where cluster services are routed: every node's edge port, with a route key made from the secret. */
export interface ClusterRouting {
  edgePort: number;
  secret: string;
}

/**
 * The routes Caddy should serve, from Postgres alone: each domain of a service that has a live
 * release and should run goes to the service's block of stable upstream ports (its releases
 * alternate between the two ports of each replica slot, so a redeploy leaves this unchanged) -- on
 * loopback, or at the host of the standalone remote server it is placed on; otherwise nothing (503).
 * A cluster service's domain goes to the cluster edge on every node instead (clusterRoute).
 */
export async function loadDesiredRoutes(db: Db, box: SealedBox, cluster?: ClusterRouting): Promise<ProxyRoute[]> {
  // One snapshot: Prisma reads each level of the include with its own query, and a service deleted
  // between them would leave a domain without its service.
  const [read] = await db.$transaction(
    [
      db.domain.findMany({
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
              placement: true,
              // A standalone remote server's host: the ports are published there (servers/standalone-server.ts).
              server: { select: { host: true } },
              project: { select: { teamId: true } },
              // Counted, not read: a nested `take` would read every succeeded deployment of the service.
              _count: { select: { deployments: { where: { status: "succeeded" } } } },
            },
          },
        },
      }),
    ],
    { isolationLevel: "RepeatableRead" },
  );
  // The snapshot notwithstanding, an e2e run once read a domain whose service was being deleted
  // without it (the proxy's apply failed until the next tick): such a domain goes with its service.
  const domains = read.filter((d) => (d.service as (typeof d)["service"] | null) !== null);
  const nodes = cluster && domains.some((d) => d.service.placement === "cluster") ? await clusterEdgeUpstreams(db, cluster.edgePort) : [];
  return domains.map((d) => {
    const { proxyPort, proxyPortCount, servingPorts, replicas, kind, desiredState, _count, server } = d.service;
    const host = server?.host ?? undefined;
    if (d.service.placement === "cluster") return { ...clusterRoute(d, nodes, cluster), ...customCertOf(box, d) };
    // Only web services are behind the proxy; workers and TCP services have no HTTP route.
    const serving = kind === "web" && proxyPort !== null && desiredState === "running" && _count.deployments > 0;
    return {
      ...baseRoute(d),
      // The ports of the replica slots in use (two each); a block has room for more.
      upstreams: serving ? upstreamsOf(proxyPort, Math.min(proxyPortCount, 2 * replicas), host) : [],
      serving: serving ? servingPorts.map((p) => loopbackAddress(p, host)) : [],
      ...customCertOf(box, d),
    };
  });
}

type DomainRow = Awaited<ReturnType<Db["domain"]["findMany"]>>[number] & {
  service: { kind: string; _count: { deployments: number }; project: { teamId: string } };
};

function baseRoute(d: DomainRow): Omit<ProxyRoute, "upstreams"> {
  return {
    domainId: d.id,
    hostname: d.hostname,
    pathPrefix: d.pathPrefix,
    redirectTwin: d.redirectTwin,
    ...(d.basicAuthUser && d.basicAuthHash ? { basicAuth: { user: d.basicAuthUser, hash: d.basicAuthHash } } : {}),
    ipAllowList: d.ipAllowList,
    teamId: d.service.project.teamId,
  };
}

/**
 * A cluster service's domain goes to every node's edge port (the edge finds the tasks, see
 * cluster/routing/), carrying the service's route key. Every node Berth knows is listed whatever
 * its state: a drained or down node is skipped by health checks and retries, not by a config
 * load (Caddy 2.6 drops in-flight requests on each load).
 */
function clusterRoute(d: DomainRow, nodes: string[], cluster: ClusterRouting | undefined): ProxyRoute {
  const serving = cluster !== undefined && d.service.kind === "web" && d.service._count.deployments > 0 && nodes.length > 0;
  return {
    ...baseRoute(d),
    upstreams: serving ? nodes : [],
    ...(serving ? { clusterKey: clusterRouteKey(cluster.secret, d.serviceId) } : {}),
  };
}

/** `<node address>:<edge port>` of every swarm node Berth knows. */
async function clusterEdgeUpstreams(db: Db, edgePort: number): Promise<string[]> {
  const nodes = await db.server.findMany({
    where: { swarmNodeId: { not: null }, swarmAddress: { not: null } },
    orderBy: { swarmAddress: "asc" },
    select: { swarmAddress: true },
  });
  return nodes.map((n) => {
    const host = n.swarmAddress ?? "";
    return `${host.includes(":") ? `[${host}]` : host}:${edgePort}`;
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
