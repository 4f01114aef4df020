/**
 * Every route is checked on its own before it reaches Caddy (PURE): one domain whose stored
 * data Caddy would refuse, or whose text holds a `{placeholder}` Caddy would expand, is left
 * out and reported on its domain; the others still load. Input validation refuses such data
 * already; this guards rows written before it, or by any other path.
 */
import { parseAddressOrRange } from "../net/ip.ts";
import { BASIC_AUTH_USER, parseHostname, parsePathPrefix } from "../domains/hostname.ts";
import { certificateNames, nameCovers } from "../domains/certificate.ts";
import { twinOf, type ProxyRoute } from "./caddy-config.ts";

export interface SkippedRoute {
  domainId: string;
  hostname: string;
  error: string;
}

const BCRYPT = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;
const UPSTREAM = /^127\.0\.0\.1:\d{1,5}$/;
const PEM = /^[A-Za-z0-9+/=\r\n -]+$/;
const ROUTE_KEY = /^[a-f0-9]{64}$/;

/** `<IP>:<port>` or `[<IPv6>]:<port>`: a node's edge (the node's advertise address is an IP). */
function isNodeUpstream(address: string): boolean {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(address);
  const ip = m?.[1] ?? m?.[2];
  return ip !== undefined && parseAddressOrRange(ip) !== null && Number(m?.[3]) <= 65535;
}

/** `<host name>:<port>`: a standalone remote server named by host name (no `{`, space or scheme). */
const NAMED_UPSTREAM = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?:\d{1,5}$/;

/** A release's port: on loopback, or at a standalone remote server's address (IP or host name). */
function isReleaseUpstream(address: string): boolean {
  return UPSTREAM.test(address) || isNodeUpstream(address) || NAMED_UPSTREAM.test(address);
}

/** Why Caddy must not get this route, or null when it is sound. */
export function routeProblem(route: ProxyRoute): string | null {
  const host = parseHostname(route.hostname);
  if (!host.ok || host.hostname !== route.hostname) return `hostname ${JSON.stringify(route.hostname)} is not a valid hostname`;
  const prefix = parsePathPrefix(route.pathPrefix);
  if (!prefix.ok || prefix.pathPrefix !== route.pathPrefix) return `path prefix ${JSON.stringify(route.pathPrefix)} is not valid`;
  if (route.basicAuth && (!BASIC_AUTH_USER.test(route.basicAuth.user) || !BCRYPT.test(route.basicAuth.hash)))
    return "the basic-auth user name or hash is not valid";
  const badRange = route.ipAllowList.find((entry) => parseAddressOrRange(entry) === null);
  if (badRange !== undefined) return `IP allow-list entry ${JSON.stringify(badRange)} is not an IP address or CIDR range`;
  if (route.clusterKey !== undefined) {
    if (!ROUTE_KEY.test(route.clusterKey)) return "the cluster route key is not valid";
    if (route.upstreams.some((u) => !isNodeUpstream(u))) return "a cluster node's edge address is not valid";
  } else if (route.upstreams.some((u) => !isReleaseUpstream(u))) return "an upstream address is not valid";
  if (route.customCert && (!PEM.test(route.customCert.certPem) || !PEM.test(route.customCert.keyPem)))
    return "the uploaded certificate or key is not PEM";
  return null;
}

/** Why an uploaded certificate must not be loaded: it names a hostname of another team's route. */
function certificateProblem(route: ProxyRoute, all: ProxyRoute[]): string | null {
  if (!route.customCert) return null;
  let names: string[];
  try {
    names = certificateNames(route.customCert.certPem);
  } catch {
    return "the uploaded certificate cannot be read";
  }
  const others = all
    .filter((r) => r.teamId !== route.teamId)
    .flatMap((r) => (r.redirectTwin ? [r.hostname, twinOf(r.hostname)] : [r.hostname]));
  const taken = names.find((name) => others.some((h) => nameCovers(name, h)));
  return taken === undefined ? null : `the uploaded certificate is not loaded: it names ${taken}, which covers another team's domain`;
}

/**
 * The routes Caddy may load, and the ones left out (or loaded without their uploaded
 * certificate) with the reason.
 */
export function partitionRoutes(routes: ProxyRoute[]): { routes: ProxyRoute[]; skipped: SkippedRoute[] } {
  const kept: ProxyRoute[] = [];
  const skipped: SkippedRoute[] = [];
  for (const route of routes) {
    const error = routeProblem(route);
    if (error !== null) {
      skipped.push({ domainId: route.domainId, hostname: route.hostname, error });
      continue;
    }
    const certError = certificateProblem(route, routes);
    if (certError === null) {
      kept.push(route);
    } else {
      const { customCert: _dropped, ...withoutCert } = route;
      kept.push(withoutCert);
      skipped.push({ domainId: route.domainId, hostname: route.hostname, error: certError });
    }
  }
  return { routes: kept, skipped };
}
