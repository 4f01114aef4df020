import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { proxyGet, startProxiedWorker, type TestCaddy } from "../../test/caddy.ts";
import { requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { isTerminalStatus } from "../deployments/statuses.ts";
import { addDomain, ensureDefaultDomain } from "../domains/domains.ts";
import { startService, stopService } from "../services/services.ts";
import type { Actor } from "../teams/access.ts";
import { ProxyRejectedError } from "./caddy-admin.ts";
import type { EdgeProxy } from "./edge-proxy.ts";

const deps = testDeps();
let caddy: TestCaddy;
let proxy: EdgeProxy;
let ca = "";
let stack: Awaited<ReturnType<typeof startProxiedWorker>>;
const touched: string[] = [];
const tag = randomUUID().slice(0, 8);
const host = (name: string) => `${name}-${tag}.localhost`;

async function deployed(actor: Actor, serviceId: string) {
  const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
  const done = await waitFor(
    "the deployment to finish",
    async () => {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      return isTerminalStatus(d.status) ? d : null;
    },
    60_000,
  );
  expect(done.error).toBeNull();
  return done;
}

function plainGet(port: number, hostname: string, path: string): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, headers: { host: hostname } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

const get = (hostname: string, path = "/", headers: Record<string, string> = {}) => proxyGet(caddy, { hostname, path, ca, headers });

let actor: Actor;
let teamId: string;
let apiService: string;
let ipName = "";
let http: Awaited<ReturnType<typeof startHttp>>;
const healthz = async () => {
  const res = await fetch(`${http.base}/healthz`);
  return { code: res.status, body: (await res.json()) as { status: string; proxy?: { ok: boolean; state: string; error?: string } } };
};

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  // The admin API on a unix socket, as `npm run up` runs it (the other proxy tests use a port).
  stack = await startProxiedWorker(deps, { watchMs: 250, concurrency: 2, adminSocket: true });
  ({ caddy, proxy } = stack);
  ({ actor, teamId } = await seedUser(deps.db));
  const web = await seedService(deps.db, teamId, { env: { GREETING: `web-${tag}` } });
  const api = await seedService(deps.db, teamId, { env: { GREETING: `api-${tag}` } });
  apiService = api.serviceId;
  touched.push(web.serviceId, api.serviceId);
  await addDomain(deps, actor, { serviceId: web.serviceId, hostname: host("web"), redirectTwin: true });
  // No base domain, a public IP: the default domain is the IP's wildcard-DNS name (never resolved here).
  await ensureDefaultDomain(deps.db, web.serviceId, "203.0.113.7");
  ipName = (await deps.db.domain.findFirstOrThrow({ where: { serviceId: web.serviceId, isDefault: true } })).hostname;
  await addDomain(deps, actor, { serviceId: api.serviceId, hostname: host("web"), pathPrefix: "/api" });
  await addDomain(deps, actor, { serviceId: api.serviceId, hostname: host("api") });
  await addDomain(deps, actor, {
    serviceId: api.serviceId,
    hostname: host("locked"),
    basicAuth: { user: "alice", password: "correct horse" },
  });
  await addDomain(deps, actor, { serviceId: api.serviceId, hostname: host("office"), ipAllowList: ["10.0.0.0/8"] });
  await Promise.all([deployed(actor, web.serviceId), deployed(actor, api.serviceId)]);
  ca = await caddy.admin.internalRootPem();
  expect(ca).toContain("BEGIN CERTIFICATE");
  http = await startHttp(deps);
}, 120_000);

afterAll(async () => {
  await http?.io.close();
  await new Promise((r) => http?.server.close(r));
  await stack.stop();
  for (const serviceId of touched) await deps.engine.removeService(serviceId);
  await deps.db.$disconnect();
});

describe("edge proxy (real Caddy, real containers, routes from Postgres)", () => {
  it("routes by Host header (and path prefix) to the right service over HTTPS with the internal CA", async () => {
    // Both services' routes (each deploy's route arrives at the watcher's next tick after it).
    for (const name of ["web", "api"])
      await waitFor(`the ${name} route`, async () => (await get(host(name)).catch(() => null))?.body.includes(`${name}-${tag}`));
    // Caddy issues each host's certificate from its internal CA on its own schedule (a handshake
    // before that gets a TLS "internal error"; seen once on a loaded machine): every HTTPS host
    // of this file must complete a handshake before anything is asserted through it.
    const httpsHosts = [host("web"), `www.${host("web")}`, host("api"), host("locked"), host("office")];
    await waitFor(
      "every host's certificate",
      async () =>
        (
          await Promise.all(
            httpsHosts.map((h) =>
              get(h).then(
                () => true,
                () => false,
              ),
            ),
          )
        ).every(Boolean),
      120_000,
    );
    expect(await get(host("web"))).toMatchObject({ status: 200, body: expect.stringContaining(`web-${tag}`) });
    expect(await get(host("api"))).toMatchObject({ status: 200, body: expect.stringContaining(`api-${tag}`) });
    // /api on the web host goes to the api service (longest prefix wins); the path is kept.
    // (Both serve a page at /api/, each with its own greeting.)
    expect(await get(host("web"), "/api/")).toMatchObject({ status: 200, body: `api-${tag} under /api/\n` });
    expect((await get(host("web"), "/index.html")).body).toContain(`web-${tag}`);
    // An unknown host reaches no service.
    const unknown = await get(host("nobody")).catch((err: Error) => ({ status: 0, body: err.message }));
    expect(unknown.body).not.toContain(tag);
  }, 180_000);

  it("redirects HTTP to HTTPS and the www twin to the domain", async () => {
    const res = await plainGet(caddy.listen.httpPort, host("web"), "/x?y=1");
    expect(res.status).toBe(308);
    expect(res.location).toBe(`https://${host("web")}:${caddy.listen.httpsPort}/x?y=1`);
    const twin = await get(`www.${host("web")}`, "/a");
    expect(twin.status).toBe(308);
    expect(twin.headers.location).toBe(`https://${host("web")}:${caddy.listen.httpsPort}/a`);
  });

  it("serves the wildcard-IP default domain over plain HTTP (no redirect to the internal CA)", async () => {
    expect(ipName).toMatch(/^svc-[0-9a-f]{8}-p-[0-9a-f]{8}\.203-0-113-7\.sslip\.io$/);
    const res = await plainGet(caddy.listen.httpPort, ipName, "/");
    expect(res.status).toBe(200);
    expect(res.body).toContain(`web-${tag}`);
  });

  it("a first deploy's log says the proxy routes to the new release; only a redeploy says the old release drained", async () => {
    const proxyLines = async (deploymentId: string) =>
      (await deps.db.buildLogLine.findMany({ where: { deploymentId }, orderBy: { seq: "asc" } }))
        .map((l) => l.text)
        .filter((t) => t.startsWith("Proxy:"));
    const first = await deps.db.deployment.findFirstOrThrow({ where: { serviceId: apiService }, orderBy: { createdAt: "asc" } });
    expect(await proxyLines(first.id)).toEqual(["Proxy: routing to the new release"]);
    const again = await deployed(actor, apiService);
    expect(await proxyLines(again.id)).toEqual(["Proxy: the old release drained"]);
  });

  it("enforces basic auth (bcrypt) and the IP allow-list per domain", async () => {
    expect((await get(host("locked"))).status).toBe(401);
    const wrong = Buffer.from("alice:wrong").toString("base64");
    expect((await get(host("locked"), "/", { authorization: `Basic ${wrong}` })).status).toBe(401);
    const right = Buffer.from("alice:correct horse").toString("base64");
    expect(await get(host("locked"), "/", { authorization: `Basic ${right}` })).toMatchObject({
      status: 200,
      body: expect.stringContaining(`api-${tag}`),
    });
    expect((await get(host("office"))).status).toBe(403);
    const row = await deps.db.domain.findFirstOrThrow({ where: { hostname: host("locked") } });
    expect(row.basicAuthHash).toMatch(/^\$2[aby]\$10\$/);
  });

  it("a config Caddy rejects leaves the last good one serving", async () => {
    const good = await caddy.admin.config();
    const broken = structuredClone(good) as { apps: { http: { servers: { berth_https: { routes: unknown[] } } } } };
    broken.apps.http.servers.berth_https.routes.unshift({ handle: [{ handler: "no_such_handler" }] });
    await expect(caddy.admin.load(broken)).rejects.toBeInstanceOf(ProxyRejectedError);
    expect(await get(host("api"))).toMatchObject({ status: 200, body: expect.stringContaining(`api-${tag}`) });
    expect(proxy.status().state).toBe("up");
  });

  // Caddy restarted keeps no config of its own: only the watcher re-applying the routes from Postgres
  // brings them back, so generous deadlines tell it apart (how fast: the fault suite, proxy-killed).
  it("after the proxy is killed and restarted, every route is back from Postgres; the status said down meanwhile", async () => {
    await caddy.kill();
    await waitFor("the watcher to notice", async () => proxy.status().state === "down", 30_000);
    expect(proxy.status().error).toMatch(/does not answer/);
    // /healthz names the proxy as down: "degraded", still 200 (the control plane itself works).
    expect(await healthz()).toMatchObject({
      code: 200,
      body: { status: "degraded", proxy: { ok: false, state: "down", error: expect.stringMatching(/does not answer/) } },
    });
    await caddy.run();
    await waitFor(
      "every route back",
      async () => {
        // The internal CA lives in Berth's storage dir, configured by the re-applied config.
        ca = await caddy.admin.internalRootPem().catch(() => "");
        const [web, api, prefixed] = await Promise.all([get(host("web")), get(host("api")), get(host("web"), "/api/")]).catch(() => [
          null,
          null,
          null,
        ]);
        return web?.body.includes(`web-${tag}`) && api?.body.includes(`api-${tag}`) && prefixed?.body === `api-${tag} under /api/\n`;
      },
      60_000,
    );
    expect(proxy.status().state).toBe("up");
    expect(await healthz()).toMatchObject({ code: 200, body: { status: "ok", proxy: { ok: true, state: "up" } } });
  });

  it("a stopped service answers 503 through its domains", async () => {
    await stopService(deps, actor, apiService);
    // Stop and start change the config (503 <-> upstreams): a probe in the reload instant may fail.
    await waitFor("the 503", async () => (await get(host("api")).catch(() => null))?.status === 503, 30_000);
    await startService(deps, actor, apiService);
    await waitFor("the route back", async () => (await get(host("api")).catch(() => null))?.status === 200, 30_000);
  });
});
