import { CLUSTER_EDGE, EDGE_ROUTE_HEADER } from "@berth/engine";
import { isWildcardIpName } from "../domains/hostname.ts";
import { EDGE_TOKEN_HEADER } from "./edge-request.ts";
import { portOfAddress } from "./upstream-ports.ts";

/**
 * Desired routes -> one Caddy JSON config (PURE). Applied whole through the admin API's
 * POST /load: Caddy swaps it in atomically, or rejects it and keeps serving the last good one.
 */

export const ROUTES_MARKER = "berth-routes";
/** The Host header Berth sends over the unix socket (Caddy checks it against the admin origins). */
export const ADMIN_SOCKET_HOST = "localhost";

/** `unix:/abs/path` -> the socket path; anything else (host:port) -> null. PURE. */
export function adminSocketPath(address: string): string | null {
  return address.startsWith("unix:") ? address.slice("unix:".length) : null;
}

/**
 * The `admin` block of Caddy's config for this address. On a unix socket Caddy 2.6 accepts
 * only an empty Host header unless origins are listed: list the one Berth sends. PURE.
 */
export function caddyAdminBlock(address: string): { listen: string; origins?: string[]; config: { persist: false } } {
  const socket = adminSocketPath(address);
  if (socket === null) return { listen: address, config: { persist: false } };
  return { listen: `unix/${socket}`, origins: [ADMIN_SOCKET_HOST], config: { persist: false } };
}

const STAGING_CA = "https://acme-staging-v02.api.letsencrypt.org/directory";

export interface ProxyRoute {
  domainId: string;
  hostname: string;
  /** "" or "/prefix". */
  pathPrefix: string;
  /** Also answer the www/apex twin with a redirect to `hostname`. */
  redirectTwin: boolean;
  basicAuth?: { user: string; hash: string };
  /** CIDRs/addresses allowed; empty = everyone. */
  ipAllowList: string[];
  /** Dial addresses of the service's block of ports (e.g. 127.0.0.1:20000); empty = nothing running (503). */
  upstreams: string[];
  /**
   * The upstreams the healthy release listens on; the others are kept out of rotation by the
   * edge proxy's marks (not part of Caddy's config: a hand-over reloads nothing). Absent or
   * empty: unknown, every upstream stays in rotation.
   */
  serving?: string[];
  /**
   * A cluster service's route: `upstreams` are the nodes' edge ports, and this key (hex, see
   * cluster/routing/route-key.ts) is set on every request so the edge serves this service only.
   */
  clusterKey?: string;
  customCert?: { certPem: string; keyPem: string };
  /** The owning team (certificates are checked across teams before a load). */
  teamId?: string;
}

export interface ProxyListen {
  httpPort: number;
  httpsPort: number;
  /** Interface to bind ("" = all). */
  bindHost: string;
  /** Admin API address, kept in every config so a load never moves it. */
  adminListen: string;
  /** Certificates, keys and the internal CA (Caddy's file storage); undefined = Caddy's default. */
  storageDir?: string;
  /**
   * Loopback port of the hand-over server (see markServer); undefined = none, and hand-overs
   * then only wait for the old release to go idle.
   */
  markPort?: number;
}

export interface TlsSettings {
  issuer: "internal" | "acme";
  acmeEmail: string;
  acmeStaging: boolean;
}

/** The dashboard at its own domain: proxied to the control plane itself, HTTPS only. */
export interface DashboardRoute {
  hostname: string;
  /** The control plane's address, e.g. 127.0.0.1:3000. */
  upstream: string;
  /** Proves to the control plane that a request came through this proxy (proxy/edge-request.ts). */
  edgeToken: string;
}

export interface CaddyConfigInput {
  routes: ProxyRoute[];
  listen: ProxyListen;
  tls: TlsSettings;
  dashboard?: DashboardRoute;
}

type Json = Record<string, unknown>;

/** The www/apex twin of a hostname: www.a.com <-> a.com. */
export function twinOf(hostname: string): string {
  return hostname.startsWith("www.") ? hostname.slice(4) : `www.${hostname}`;
}

/** Names Caddy must certify with its internal CA whatever the issuer (no public CA signs them). */
export function isLocalName(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || /^[\d.]+$/.test(hostname) || hostname.includes(":");
}

function portSuffix(port: number, standard: number): string {
  return port === standard ? "" : `:${port}`;
}

function redirect(location: string): Json {
  return { handler: "static_response", status_code: 308, headers: { Location: [location] } };
}

function hostMatch(hostname: string, pathPrefix: string): Json {
  return pathPrefix === "" ? { host: [hostname] } : { host: [hostname], path: [pathPrefix, `${pathPrefix}/*`] };
}

function reverseProxy(route: ProxyRoute): Json {
  return {
    handler: "reverse_proxy",
    upstreams: route.upstreams.map((dial) => ({ dial })),
    // Streamed responses (SSE, long polls) pass through unbuffered; WebSockets are proxied natively.
    flush_interval: -1,
    // The service's block of upstream ports; those no healthy release listens on are kept out
    // of rotation by marks (see idle-upstreams.ts), so no request should need a retry. Should a
    // dial still be refused (a crash), it is retried elsewhere -- with its body only when it
    // has none: Caddy 2.6 re-sends a retried body empty, buffered or not. A request cut by a
    // stopping release is re-sent when it is idempotent. A failed port is skipped for a second.
    load_balancing: {
      selection_policy: { policy: "round_robin" },
      try_duration: "5s",
      try_interval: "10ms",
      retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }],
    },
    health_checks: { passive: { fail_duration: "1s", max_fails: 1 } },
  };
}

/**
 * To the cluster edge on every node (round robin). The route key is *set*: a client's own header
 * is replaced, so a domain reaches its own service only. A node whose edge does not answer (down,
 * drained, its edge task restarting) fails its dial within a second and is skipped for 2 s, and
 * the request goes to another node; the active check keeps a dead node out between requests.
 */
function clusterReverseProxy(route: ProxyRoute, key: string): Json {
  return {
    handler: "reverse_proxy",
    upstreams: route.upstreams.map((dial) => ({ dial })),
    flush_interval: -1,
    headers: { request: { set: { [EDGE_ROUTE_HEADER]: [key] } } },
    transport: { protocol: "http", dial_timeout: "1s" },
    load_balancing: {
      selection_policy: { policy: "round_robin" },
      try_duration: "10s",
      try_interval: "50ms",
      retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }],
    },
    health_checks: {
      passive: { fail_duration: "2s", max_fails: 1 },
      active: { uri: CLUSTER_EDGE.healthPath, interval: "1s", timeout: "1s" },
    },
  };
}

function proxyHandlers(route: ProxyRoute): Json[] {
  const handlers: Json[] = [];
  if (route.basicAuth) {
    handlers.push({
      handler: "authentication",
      providers: {
        http_basic: {
          hash: { algorithm: "bcrypt" },
          accounts: [{ username: route.basicAuth.user, password: route.basicAuth.hash }],
          realm: route.hostname,
        },
      },
    });
  }
  if (route.upstreams.length === 0) {
    handlers.push({ handler: "static_response", status_code: 503, body: "No release of this service is running.\n", close: false });
    return handlers;
  }
  handlers.push(route.clusterKey === undefined ? reverseProxy(route) : clusterReverseProxy(route, route.clusterKey));
  return handlers;
}

function domainRoute(route: ProxyRoute): Json {
  const inner: Json[] = [];
  if (route.ipAllowList.length > 0) {
    inner.push({
      match: [{ not: [{ remote_ip: { ranges: route.ipAllowList } }] }],
      handle: [{ handler: "static_response", status_code: 403, body: "Forbidden\n" }],
      terminal: true,
    });
  }
  inner.push({ handle: proxyHandlers(route) });
  return { match: [hostMatch(route.hostname, route.pathPrefix)], handle: [{ handler: "subroute", routes: inner }], terminal: true };
}

/** Longest path prefix first, so /api wins over / on the same host. */
function ordered(routes: ProxyRoute[]): ProxyRoute[] {
  return [...routes].sort(
    (a, b) => b.pathPrefix.length - a.pathPrefix.length || a.hostname.localeCompare(b.hostname) || a.domainId.localeCompare(b.domainId),
  );
}

function hostsOf(routes: ProxyRoute[]): string[] {
  const hosts = new Set<string>();
  for (const r of routes) {
    hosts.add(r.hostname);
    if (r.redirectTwin) hosts.add(twinOf(r.hostname));
  }
  return [...hosts].sort();
}

/**
 * The dashboard's route, first on the HTTPS server. Headers are set, never appended: a client's
 * own X-Forwarded-Proto or edge token is replaced, so the control plane believes these two only.
 * Long polls and the socket.io upgrade pass unbuffered.
 */
function dashboardRoute(dashboard: DashboardRoute): Json {
  return {
    match: [{ host: [dashboard.hostname] }],
    handle: [
      {
        handler: "reverse_proxy",
        upstreams: [{ dial: dashboard.upstream }],
        flush_interval: -1,
        headers: { request: { set: { "X-Forwarded-Proto": ["https"], [EDGE_TOKEN_HEADER]: [dashboard.edgeToken] } } },
      },
    ],
    terminal: true,
  };
}

function httpsRoutes(routes: ProxyRoute[], httpsPort: number, dashboard?: DashboardRoute): Json[] {
  const suffix = portSuffix(httpsPort, 443);
  const twins = routes
    .filter((r) => r.redirectTwin)
    .map((r) => ({
      match: [{ host: [twinOf(r.hostname)] }],
      handle: [redirect(`https://${r.hostname}${suffix}{http.request.uri}`)],
      terminal: true,
    }));
  return [...(dashboard ? [dashboardRoute(dashboard)] : []), ...twins, ...ordered(routes).map(domainRoute)];
}

/**
 * A wildcard-IP name (`<name>.<ip-with-dashes>.sslip.io`, the default for an instance without a
 * base domain) is served over plain HTTP while only the internal CA would sign it: redirecting a
 * remote viewer to a certificate no browser trusts is a dead end. With ACME or an uploaded
 * certificate it is redirected like every other name.
 */
export function servesPlainHttp(route: Pick<ProxyRoute, "hostname" | "customCert">, tls: Pick<TlsSettings, "issuer">): boolean {
  return tls.issuer === "internal" && !route.customCert && isWildcardIpName(route.hostname);
}

/** The dashboard's domain is always redirected to HTTPS: its cookies and webhook secrets never travel in clear. */
function httpRoutes(routes: ProxyRoute[], httpsPort: number, tls: TlsSettings, dashboard?: DashboardRoute): Json[] {
  const plain = routes.filter((r) => servesPlainHttp(r, tls));
  const plainHosts = new Set(plain.map((r) => r.hostname));
  const hosts = [
    ...new Set([...(dashboard ? [dashboard.hostname] : []), ...hostsOf(routes.filter((r) => !plainHosts.has(r.hostname)))]),
  ].sort();
  const served = ordered(plain).map(domainRoute);
  if (hosts.length === 0) return served;
  const location = `https://{http.request.host}${portSuffix(httpsPort, 443)}{http.request.uri}`;
  return [...served, { match: [{ host: hosts }], handle: [redirect(location)], terminal: true }];
}

function tlsApp(routes: ProxyRoute[], tls: TlsSettings, dashboard?: DashboardRoute): Json {
  const internal = { module: "internal" };
  // No `{placeholder}` from the settings reaches Caddy.
  const email = /^[^\s{}]+@[^\s{}]+$/.test(tls.acmeEmail) ? tls.acmeEmail : "";
  const acme: Json = { module: "acme", ...(email ? { email } : {}), ...(tls.acmeStaging ? { ca: STAGING_CA } : {}) };
  const policies: Json[] = [];
  const local = [...new Set([...(dashboard ? [dashboard.hostname] : []), ...hostsOf(routes)])].filter(isLocalName).sort();
  if (tls.issuer === "acme" && local.length > 0) policies.push({ subjects: local, issuers: [internal] });
  policies.push({ issuers: [tls.issuer === "acme" ? acme : internal] });
  const custom = routes.filter((r) => r.customCert);
  const app: Json = { automation: { policies } };
  if (custom.length > 0) {
    app.certificates = {
      load_pem: custom.map((r) => ({ certificate: r.customCert?.certPem, key: r.customCert?.keyPem, tags: [`berth-${r.domainId}`] })),
    };
  }
  return app;
}

/**
 * An uploaded certificate is selected (by its tag) only for its own domain's hostname; any other
 * SNI gets the default policy. PURE.
 */
function connectionPolicies(routes: ProxyRoute[]): { tls_connection_policies?: Json[] } {
  const custom = routes.filter((r) => r.customCert);
  if (custom.length === 0) return {};
  return {
    tls_connection_policies: [
      ...custom.map((r) => ({ match: { sni: [r.hostname] }, certificate_selection: { any_tag: [`berth-${r.domainId}`] } })),
      {},
    ],
  };
}

function listenOn(bindHost: string, port: number): string[] {
  return [`${bindHost.includes(":") ? `[${bindHost}]` : bindHost}:${port}`];
}

/** How long one mark keeps an upstream out of rotation; a hand-over renews it while it drains. */
export const MARK_DURATION_S = 2;
/** The hand-over server's logger name (excluded from Caddy's log). */
const MARK_LOGGER = "berth_mark";
/** Far above the marks one address can gather within MARK_DURATION_S. */
const MARK_RENEWALS_CAP = 1_000_000;

/**
 * The hand-over server, on 127.0.0.1 only: GET /<port> proxies one request to 127.0.0.1:<port>
 * under a passive health check that counts every answer as a failure (latency over 1 ns).
 * Caddy keeps an upstream's health per address, shared by every route that dials it, so the
 * service's own routes stop choosing that upstream for MARK_DURATION_S -- without a config load
 * (Caddy 2.6 drops in-flight requests on every load). Berth marks the old release's ports before
 * it drains and stops them, so no new request -- a POST included -- reaches a release that is
 * about to close its listener.
 */
function markServer(routes: ProxyRoute[], markPort: number): Json {
  // Cluster routes dial nodes' edges, never a release's port: nothing to mark.
  const addresses = [...new Set(routes.filter((r) => r.clusterKey === undefined).flatMap((r) => r.upstreams))].sort();
  return {
    listen: [`127.0.0.1:${markPort}`],
    automatic_https: { disable: true },
    protocols: ["h1"],
    logs: { default_logger_name: MARK_LOGGER },
    routes: addresses.map((dial) => ({
      match: [{ path: [`/${portOfAddress(dial)}`] }],
      handle: [
        { handler: "rewrite", uri: "/" },
        {
          handler: "reverse_proxy",
          upstreams: [{ dial }],
          // A dial to a port whose container just went away can hang ("no route to host"); the
          // mark counts only once the attempt ends.
          transport: { protocol: "http", dial_timeout: "250ms" },
          // max_fails is per route while the failure count is per address: this route never sees
          // its upstream as unhealthy, so a renewal dials (and counts) even while it is marked.
          health_checks: { passive: { fail_duration: `${MARK_DURATION_S}s`, max_fails: MARK_RENEWALS_CAP, unhealthy_latency: "1ns" } },
        },
      ],
    })),
  };
}

export function buildCaddyConfig({ routes, listen, tls, dashboard }: CaddyConfigInput): Json {
  const customHosts = [...new Set(routes.filter((r) => r.customCert).map((r) => r.hostname))].sort();
  return {
    admin: caddyAdminBlock(listen.adminListen),
    // The watcher asks the admin API every second: keep those requests out of Caddy's log.
    // The hand-over server's marks fail on purpose (a refused dial, an answer counted as a
    // failure), several a second: its own logger (see markServer) is left out too.
    logging: { logs: { default: { exclude: ["admin.api", `http.log.error.${MARK_LOGGER}`, `http.log.access.${MARK_LOGGER}`] } } },
    ...(listen.storageDir ? { storage: { module: "file_system", root: listen.storageDir } } : {}),
    apps: {
      pki: { certificate_authorities: { local: { install_trust: false } } },
      tls: tlsApp(routes, tls, dashboard),
      http: {
        http_port: listen.httpPort,
        https_port: listen.httpsPort,
        servers: {
          berth_https: {
            "@id": ROUTES_MARKER,
            listen: listenOn(listen.bindHost, listen.httpsPort),
            routes: httpsRoutes(routes, listen.httpsPort, dashboard),
            protocols: ["h1", "h2"],
            automatic_https: { disable_redirects: true, ...(customHosts.length > 0 ? { skip_certificates: customHosts } : {}) },
            ...connectionPolicies(routes),
          },
          berth_http: {
            listen: listenOn(listen.bindHost, listen.httpPort),
            routes: httpRoutes(routes, listen.httpsPort, tls, dashboard),
            protocols: ["h1"],
            automatic_https: { disable_redirects: true },
          },
          ...(listen.markPort === undefined ? {} : { berth_mark: markServer(routes, listen.markPort) }),
        },
      },
    },
  };
}
