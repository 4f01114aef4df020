import { describe, expect, it } from "vitest";
import { buildCaddyConfig, isLocalName, twinOf, type ProxyRoute, type TlsSettings } from "./caddy-config.ts";

const listen = {
  httpPort: 8080,
  httpsPort: 8443,
  bindHost: "127.0.0.1",
  adminListen: "127.0.0.1:2019",
  storageDir: "/var/lib/berth/caddy",
};
const tls = { issuer: "internal" as const, acmeEmail: "", acmeStaging: false };

function route(over: Partial<ProxyRoute> = {}): ProxyRoute {
  return {
    domainId: "d1",
    hostname: "app.example.com",
    pathPrefix: "",
    redirectTwin: false,
    ipAllowList: [],
    upstreams: ["127.0.0.1:20000", "127.0.0.1:20001"],
    ...over,
  };
}

type AnyJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
function servers(routes: ProxyRoute[], t: TlsSettings = tls, l = listen): AnyJson {
  return (buildCaddyConfig({ routes, listen: l, tls: t }) as AnyJson).apps.http.servers;
}

describe("buildCaddyConfig", () => {
  it("keeps the admin address, never persists, stores in Berth's dir, never installs the local CA into the trust store", () => {
    const config = buildCaddyConfig({ routes: [], listen, tls }) as AnyJson;
    expect(config.admin).toEqual({ listen: "127.0.0.1:2019", config: { persist: false } });
    expect(config.logging).toEqual({
      logs: { default: { exclude: ["admin.api", "http.log.error.berth_mark", "http.log.access.berth_mark"] } },
    });
    expect(config.storage).toEqual({ module: "file_system", root: "/var/lib/berth/caddy" });
    expect(config.apps.pki.certificate_authorities.local.install_trust).toBe(false);
    expect(config.apps.http).toMatchObject({ http_port: 8080, https_port: 8443 });
    expect(servers([]).berth_https["@id"]).toBe("berth-routes");
    expect(servers([]).berth_https.listen).toEqual(["127.0.0.1:8443"]);
    expect(servers([], tls, { ...listen, bindHost: "" }).berth_http.listen).toEqual([":8080"]);
  });

  it("puts a unix-socket admin address in Caddy's form, with the Host Berth sends as the only origin", () => {
    const config = buildCaddyConfig({
      routes: [],
      listen: { ...listen, adminListen: "unix:/var/lib/berth/caddy/admin.sock" },
      tls,
    }) as AnyJson;
    expect(config.admin).toEqual({ listen: "unix//var/lib/berth/caddy/admin.sock", origins: ["localhost"], config: { persist: false } });
  });

  it("routes a host to both upstream ports of its service with retries and passive health", () => {
    const [r] = servers([route()]).berth_https.routes;
    expect(r.match).toEqual([{ host: ["app.example.com"] }]);
    const proxy = r.handle[0].routes[0].handle[0];
    expect(proxy).toMatchObject({
      handler: "reverse_proxy",
      upstreams: [{ dial: "127.0.0.1:20000" }, { dial: "127.0.0.1:20001" }],
      flush_interval: -1,
      load_balancing: { try_duration: "5s", retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }] },
      health_checks: { passive: { fail_duration: "1s", max_fails: 1 } },
    });
    // Not buffered: Caddy 2.6 re-sends a retried body empty anyway (idle ports are marked instead).
    expect(proxy.buffer_requests).toBeUndefined();
  });

  it("answers 503 when nothing runs, and orders longer path prefixes first", () => {
    const routes = servers([route({ domainId: "a" }), route({ domainId: "b", pathPrefix: "/api", upstreams: [] })]).berth_https.routes;
    expect(routes[0].match).toEqual([{ host: ["app.example.com"], path: ["/api", "/api/*"] }]);
    expect(routes[0].handle[0].routes[0].handle[0]).toMatchObject({ handler: "static_response", status_code: 503 });
    expect(routes[1].match).toEqual([{ host: ["app.example.com"] }]);
  });

  it("adds basic auth (bcrypt) and an IP allow-list before the proxy", () => {
    const [r] = servers([route({ basicAuth: { user: "alice", hash: "$2b$10$abc" }, ipAllowList: ["10.0.0.0/8"] })]).berth_https.routes;
    const [deny, main] = r.handle[0].routes;
    expect(deny).toEqual({
      match: [{ not: [{ remote_ip: { ranges: ["10.0.0.0/8"] } }] }],
      handle: [{ handler: "static_response", status_code: 403, body: "Forbidden\n" }],
      terminal: true,
    });
    expect(main.handle[0]).toMatchObject({
      handler: "authentication",
      providers: { http_basic: { hash: { algorithm: "bcrypt" }, accounts: [{ username: "alice", password: "$2b$10$abc" }] } },
    });
    expect(main.handle[1].handler).toBe("reverse_proxy");
  });

  it("redirects HTTP to HTTPS for every host (twins included) and the twin to the domain", () => {
    const s = servers([route({ redirectTwin: true })]);
    expect(s.berth_http.routes).toEqual([
      {
        match: [{ host: ["app.example.com", "www.app.example.com"] }],
        handle: [
          { handler: "static_response", status_code: 308, headers: { Location: ["https://{http.request.host}:8443{http.request.uri}"] } },
        ],
        terminal: true,
      },
    ]);
    expect(s.berth_https.routes[0]).toEqual({
      match: [{ host: ["www.app.example.com"] }],
      handle: [{ handler: "static_response", status_code: 308, headers: { Location: ["https://app.example.com:8443{http.request.uri}"] } }],
      terminal: true,
    });
    const standard = servers([route({ redirectTwin: true })], tls, { ...listen, httpPort: 80, httpsPort: 443 });
    expect(standard.berth_http.routes[0].handle[0].headers.Location).toEqual(["https://{http.request.host}{http.request.uri}"]);
  });

  it("uses the internal CA, or ACME (email, staging) with local names still internal", () => {
    const internal = buildCaddyConfig({ routes: [route()], listen, tls }) as AnyJson;
    expect(internal.apps.tls.automation.policies).toEqual([{ issuers: [{ module: "internal" }] }]);
    const acme = buildCaddyConfig({
      routes: [route(), route({ domainId: "l", hostname: "web-x.localhost" })],
      listen,
      tls: { issuer: "acme", acmeEmail: "ops@example.com", acmeStaging: true },
    }) as AnyJson;
    expect(acme.apps.tls.automation.policies).toEqual([
      { subjects: ["web-x.localhost"], issuers: [{ module: "internal" }] },
      { issuers: [{ module: "acme", email: "ops@example.com", ca: "https://acme-staging-v02.api.letsencrypt.org/directory" }] },
    ]);
  });

  it("loads uploaded certificates and keeps Caddy from issuing for those hosts", () => {
    const config = buildCaddyConfig({ routes: [route({ customCert: { certPem: "C", keyPem: "K" } })], listen, tls }) as AnyJson;
    expect(config.apps.tls.certificates).toEqual({ load_pem: [{ certificate: "C", key: "K", tags: ["berth-d1"] }] });
    expect(config.apps.http.servers.berth_https.automatic_https).toEqual({
      disable_redirects: true,
      skip_certificates: ["app.example.com"],
    });
  });

  it("routes the dashboard domain first, to the control plane, with the edge token and X-Forwarded-Proto set (never appended)", () => {
    const dashboard = { hostname: "berth.example.org", upstream: "127.0.0.1:3000", edgeToken: "tok" };
    const config = buildCaddyConfig({ routes: [route({ redirectTwin: true })], listen, tls, dashboard }) as AnyJson;
    const https = config.apps.http.servers.berth_https.routes;
    expect(https[0]).toEqual({
      match: [{ host: ["berth.example.org"] }],
      handle: [
        {
          handler: "reverse_proxy",
          upstreams: [{ dial: "127.0.0.1:3000" }],
          flush_interval: -1,
          headers: { request: { set: { "X-Forwarded-Proto": ["https"], "x-berth-edge": ["tok"] } } },
        },
      ],
      terminal: true,
    });
    // HTTP always redirects the dashboard to HTTPS.
    expect(config.apps.http.servers.berth_http.routes).toEqual([
      {
        match: [{ host: ["app.example.com", "berth.example.org", "www.app.example.com"] }],
        handle: [
          { handler: "static_response", status_code: 308, headers: { Location: ["https://{http.request.host}:8443{http.request.uri}"] } },
        ],
        terminal: true,
      },
    ]);
    // Without a dashboard domain, no route reaches the control plane.
    expect(JSON.stringify(buildCaddyConfig({ routes: [route()], listen, tls }))).not.toContain("x-berth-edge");
  });

  it("certifies the dashboard domain like a service domain: ACME in production, the internal CA for local names", () => {
    const acmeTls = { issuer: "acme" as const, acmeEmail: "", acmeStaging: false };
    const local = buildCaddyConfig({
      routes: [],
      listen,
      tls: acmeTls,
      dashboard: { hostname: "berth.localhost", upstream: "127.0.0.1:3000", edgeToken: "t" },
    }) as AnyJson;
    expect(local.apps.tls.automation.policies).toEqual([
      { subjects: ["berth.localhost"], issuers: [{ module: "internal" }] },
      { issuers: [{ module: "acme" }] },
    ]);
    const published = buildCaddyConfig({
      routes: [],
      listen,
      tls: acmeTls,
      dashboard: { hostname: "berth.example.org", upstream: "127.0.0.1:3000", edgeToken: "t" },
    }) as AnyJson;
    expect(published.apps.tls.automation.policies).toEqual([{ issuers: [{ module: "acme" }] }]);
  });

  it("knows twins and local names", () => {
    expect(twinOf("www.a.com")).toBe("a.com");
    expect(twinOf("a.com")).toBe("www.a.com");
    expect(isLocalName("x.localhost")).toBe(true);
    expect(isLocalName("a.com")).toBe(false);
  });

  it("serves a wildcard-IP default domain (sslip.io) over plain HTTP with the internal CA, and redirects it once a trusted certificate can exist", () => {
    const ipName = route({ domainId: "d2", hostname: "web-shop.203-0-113-7.sslip.io" });
    const named = route();
    const plain = servers([ipName, named]).berth_http.routes as AnyJson[];
    expect(plain[0]?.match).toEqual([{ host: ["web-shop.203-0-113-7.sslip.io"] }]);
    expect(plain[0]?.handle[0].routes.at(-1).handle[0]).toMatchObject({
      handler: "reverse_proxy",
      upstreams: [{ dial: "127.0.0.1:20000" }, { dial: "127.0.0.1:20001" }],
    });
    expect(plain[1]).toMatchObject({ match: [{ host: ["app.example.com"] }], handle: [{ handler: "static_response", status_code: 308 }] });
    // HTTPS still answers the name too.
    expect(JSON.stringify(servers([ipName]).berth_https.routes)).toContain("web-shop.203-0-113-7.sslip.io");
    // ACME (Let's Encrypt signs sslip.io names) or an uploaded certificate: redirect as usual.
    for (const [r, t] of [
      [ipName, { ...tls, issuer: "acme" as const }],
      [{ ...ipName, customCert: { certPem: "c", keyPem: "k" } }, tls],
    ] as const) {
      const http = servers([r], t).berth_http.routes as AnyJson[];
      expect(http).toHaveLength(1);
      expect(http[0]?.handle[0]).toMatchObject({ handler: "static_response", status_code: 308 });
    }
  });
});

describe("the hand-over server", () => {
  it("has one loopback route per upstream address whose every answer counts as a failure (out of rotation)", () => {
    const routes = [
      route({ upstreams: ["127.0.0.1:20000", "127.0.0.1:20001"] }),
      route({ domainId: "b", hostname: "b.example.com", upstreams: ["127.0.0.1:20001"] }),
    ];
    const config = buildCaddyConfig({ routes, listen: { ...listen, markPort: 2021 }, tls }) as AnyJson;
    const mark = config.apps.http.servers.berth_mark;
    expect(mark.listen).toEqual(["127.0.0.1:2021"]);
    expect(mark.automatic_https).toEqual({ disable: true });
    expect(mark.routes.map((r: AnyJson) => r.match[0].path[0])).toEqual(["/20000", "/20001"]);
    const proxy = mark.routes[1].handle[1];
    expect(proxy.upstreams).toEqual([{ dial: "127.0.0.1:20001" }]);
    expect(proxy.health_checks.passive).toMatchObject({ unhealthy_latency: "1ns" });
    // Never unhealthy for the mark route itself, so a renewal still dials (and counts).
    expect(proxy.health_checks.passive.max_fails).toBeGreaterThan(1000);
    expect((buildCaddyConfig({ routes, listen, tls }) as AnyJson).apps.http.servers.berth_mark).toBeUndefined();
  });

  it("routes a cluster service's host to every node's edge, setting its own route key, with health checks and retries; no marks", () => {
    const key = "ab".repeat(32);
    const cluster = route({ domainId: "d2", hostname: "c.example.com", upstreams: ["10.0.0.2:8480", "10.0.0.3:8480"], clusterKey: key });
    const config = buildCaddyConfig({ routes: [cluster], listen: { ...listen, markPort: 2021 }, tls }) as AnyJson;
    const proxy = config.apps.http.servers.berth_https.routes[0].handle[0].routes[0].handle[0];
    expect(proxy).toEqual({
      handler: "reverse_proxy",
      upstreams: [{ dial: "10.0.0.2:8480" }, { dial: "10.0.0.3:8480" }],
      flush_interval: -1,
      // Set, not added: a client's own X-Berth-Route is replaced.
      headers: { request: { set: { "X-Berth-Route": [key] } } },
      transport: { protocol: "http", dial_timeout: "1s" },
      load_balancing: {
        selection_policy: { policy: "round_robin" },
        try_duration: "10s",
        try_interval: "50ms",
        retry_match: [{ method: ["GET", "HEAD", "OPTIONS"] }],
      },
      health_checks: {
        passive: { fail_duration: "2s", max_fails: 1 },
        active: { uri: "/.berth-edge/health", interval: "1s", timeout: "1s" },
      },
    });
    expect(config.apps.http.servers.berth_mark.routes).toEqual([]);
  });
});
