import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { proxyGet, TestCaddy } from "../../test/caddy.ts";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { addDomain } from "../domains/domains.ts";
import { DomainError } from "../errors.ts";
import type { EdgeProxy } from "../proxy/edge-proxy.ts";
import { EDGE_TOKEN_HEADER } from "../proxy/edge-request.ts";
import { applyDashboardDomainFromEnv, onDashboardUrl, setDashboardDomain } from "./dashboard-domain.ts";
import { forgetDashboardDomain, readDashboardDomain, RECENT_DASHBOARD_DOMAIN_MS, recentDashboardDomain } from "./dashboard-origin.ts";

/**
 * The dashboard at its own domain: the owner sets it (checked at the field), the test's own
 * Caddy serves it over HTTPS (internal CA) to the real request handler, sign-up and sign-in work
 * there with Secure cookies, HTTP redirects, and no client reaching the control plane directly
 * can pass itself off as HTTPS.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
const dash = `dash-${tag}.localhost`;
const password = "correct horse battery staple";
let http: Awaited<ReturnType<typeof startHttp>>;
let caddy: TestCaddy;
let proxy: EdgeProxy;
let ca = "";
let owner: Client;
let ownerTeam = "";

beforeAll(async () => {
  http = await startHttp(deps);
  caddy = await TestCaddy.start();
  deps.env = { ...deps.env, BERTH_PROXY_HTTPS_PORT: caddy.listen.httpsPort, BERTH_DASHBOARD_DOMAIN: "" };
  proxy = caddy.edgeProxy(deps, { dashboardUpstream: new URL(http.base).host });
  deps.proxy = proxy;
  proxy.start();
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, signupOpen: true }, update: { signupOpen: true } });
  owner = new Client(http.base);
  const email = `owner-${tag}@example.test`;
  expect((await owner.signUp(email)).status).toBe(200);
  const user = await deps.db.user.update({ where: { email }, data: { instanceRole: "owner" }, select: { id: true } });
  ownerTeam = (await deps.db.membership.findFirstOrThrow({ where: { userId: user.id } })).teamId;
});

afterAll(async () => {
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { signupOpen: false, dashboardDomain: "" } });
  await proxy?.stop();
  await caddy?.stop();
  http?.server.close();
  await deps.db.$disconnect();
});

const dashOrigin = () => `https://${dash}:${caddy.listen.httpsPort}`;

/** POST through the proxy to https://<dash>, as a browser at that origin would. */
async function viaDashboard(path: string, body: unknown, cookie = "") {
  const res = await proxyGet(caddy, {
    hostname: dash,
    path,
    ca,
    method: "POST",
    body: JSON.stringify(body),
    headers: { "content-type": "application/json", origin: dashOrigin(), ...(cookie ? { cookie } : {}) },
  });
  const setCookie = ([] as string[]).concat(res.headers["set-cookie"] ?? []);
  return { status: res.status, body: res.body, setCookie, cookie: setCookie.map((c) => c.split(";")[0]).join("; ") };
}

describe("dashboard domain", () => {
  it("only the owner sets it; a URL, a port or a service's domain is refused at the field", async () => {
    const member = new Client(http.base);
    expect((await member.signUp(`member-${tag}@example.test`)).status).toBe(200);
    expect((await member.mutate("instance.setDashboardDomain", { dashboardDomain: dash })).error?.data.code).toBe("FORBIDDEN");
    expect((await member.query("instance.dashboard")).error?.data.code).toBe("FORBIDDEN");

    const url = await owner.mutate("instance.setDashboardDomain", { dashboardDomain: `https://${dash}/` });
    expect(url.error?.data.fieldErrors).toEqual({ dashboardDomain: "Enter only the hostname, without http:// or https://" });
    const port = await owner.mutate("instance.setDashboardDomain", { dashboardDomain: `${dash}:8443` });
    expect(port.error?.data.fieldErrors).toEqual({ dashboardDomain: "Enter only the hostname, without a port" });

    const { serviceId } = await seedService(deps.db, ownerTeam);
    const taken = `svc-${tag}.localhost`;
    await deps.db.domain.create({ data: { serviceId, hostname: taken } });
    const clash = await owner.mutate("instance.setDashboardDomain", { dashboardDomain: taken });
    expect(clash.error?.data.code).toBe("CONFLICT");
    expect(clash.error?.data.fieldErrors?.dashboardDomain).toMatch(/already a service's domain/);
    expect(await readDashboardDomain(deps.db)).toBe("");
  });

  it("is refused as a service's domain once set, and the hook URLs use it", async () => {
    const saved = await owner.mutate("instance.setDashboardDomain", { dashboardDomain: dash.toUpperCase() });
    expect(saved.data).toEqual({ domain: dash, url: dashOrigin(), fromEnv: false, proxy: true });
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    const refused = await addDomain(deps, actor, { serviceId, hostname: dash }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).fieldErrors).toEqual({ hostname: `${dash} is this Berth instance's dashboard domain` });

    const { serviceId: own } = await seedService(deps.db, ownerTeam);
    const hooks = await owner.query("hooks.get", { serviceId: own });
    expect(hooks.data.gitUrl).toBe(`${dashOrigin()}/hooks/git/${own}`);
    const hook = await owner.mutate("hooks.rotateDeployHook", { serviceId: own });
    expect(hook.data.url.startsWith(`${dashOrigin()}/hooks/deploy/bdh_`), hook.data.url).toBe(true);
    // Links better-auth builds on the public URL (password reset) move to the dashboard too.
    expect(await onDashboardUrl(deps, `${http.base}/api/auth/reset-password/tok?callbackURL=%2Freset-password`)).toBe(
      `${dashOrigin()}/api/auth/reset-password/tok?callbackURL=%2Freset-password`,
    );
  });

  it("serves the dashboard over HTTPS through the proxy: sign-up and sign-in with Secure cookies; HTTP redirects", async () => {
    await owner.mutate("instance.setDashboardDomain", { dashboardDomain: dash });
    // The internal CA is read once Berth's config (with its storage) is loaded.
    await waitFor(
      "the dashboard route",
      async () => {
        ca = await caddy.admin.internalRootPem().catch(() => "");
        return (await proxyGet(caddy, { hostname: dash, path: "/healthz", ca }).catch(() => null))?.status === 200;
      },
      20_000,
    );

    const email = `https-${tag}@example.test`;
    const up = await viaDashboard("/api/auth/sign-up/email", { name: "h", email, password });
    expect(up.status, up.body).toBe(200);
    expect(up.setCookie.length).toBeGreaterThan(0);
    for (const c of up.setCookie) expect(c, c).toMatch(/;\s*Secure/i);
    const signIn = await viaDashboard("/api/auth/sign-in/email", { email, password });
    expect(signIn.status, signIn.body).toBe(200);
    const session = signIn.setCookie.find((c) => c.startsWith("berth.session_token="));
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/HttpOnly/i);
    // The session works for changes at that origin.
    const team = await deps.db.membership.findFirstOrThrow({ where: { user: { email } } });
    const created = await viaDashboard("/trpc/projects.create", { teamId: team.teamId, name: `p-${tag}` }, signIn.cookie);
    expect(created.status, created.body).toBe(200);

    const plain = await new Promise<{ status: number; location?: string }>((resolve, reject) => {
      const req = httpRequest({ host: "127.0.0.1", port: caddy.listen.httpPort, path: "/sign-in?x=1", headers: { host: dash } }, (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, location: res.headers.location });
      });
      req.on("error", reject);
      req.end();
    });
    expect(plain).toEqual({ status: 308, location: `https://${dash}:${caddy.listen.httpsPort}/sign-in?x=1` });
  });

  it("a client that reaches the control plane directly cannot claim HTTPS or the proxy's origin trust by headers", async () => {
    const email = `direct-${tag}@example.test`;
    const res = await fetch(`${http.base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: http.base, "x-forwarded-proto": "https", [EDGE_TOKEN_HEADER]: "guessed" },
      body: JSON.stringify({ name: "d", email, password }),
    });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c).not.toMatch(/;\s*Secure/i);
  });

  it("is no longer trusted once cleared", async () => {
    expect((await owner.mutate("instance.setDashboardDomain", { dashboardDomain: "" })).data).toMatchObject({ domain: "", url: http.base });
    const refused = await fetch(`${http.base}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: dashOrigin() },
      body: JSON.stringify({ email: `https-${tag}@example.test`, password }),
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { message: string }).message).toContain(`Open ${http.base} instead`);
  });

  it("the origin checks read the stored domain at most a second late, and anew at once after it is set through Berth", async () => {
    const other = `other-${tag}.localhost`;
    const pastRecent = () => new Promise((r) => setTimeout(r, RECENT_DASHBOARD_DOMAIN_MS + 100));
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { dashboardDomain: "" } });
    await pastRecent();
    expect(await recentDashboardDomain(deps.db)).toBe("");
    // Written behind its back (as another control-plane process would): the domain it read, for the second.
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { dashboardDomain: other } });
    expect(await recentDashboardDomain(deps.db)).toBe("");
    await pastRecent();
    expect(await recentDashboardDomain(deps.db)).toBe(other);
    // Set through Berth: the next check reads it at once.
    expect((await owner.mutate("instance.setDashboardDomain", { dashboardDomain: dash })).error).toBeUndefined();
    expect(await recentDashboardDomain(deps.db)).toBe(dash);
    expect((await owner.mutate("instance.setDashboardDomain", { dashboardDomain: "" })).error).toBeUndefined();
    expect(await recentDashboardDomain(deps.db)).toBe("");
    // A read under way while the domain is set is not remembered: it may hold the old one.
    await pastRecent();
    const underWay = recentDashboardDomain(deps.db);
    forgetDashboardDomain(deps.db);
    expect(await underWay).toBe("");
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { dashboardDomain: other } });
    expect(await recentDashboardDomain(deps.db)).toBe(other);
    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { dashboardDomain: "" } });
    forgetDashboardDomain(deps.db);
  });

  it("BERTH_DASHBOARD_DOMAIN writes the setting at start, unless a service uses the name, and then owns it", async () => {
    const log = pino({ level: "silent" });
    const fromEnv = `env-${tag}.localhost`;
    const envDeps = { ...deps, log, env: { ...deps.env, BERTH_DASHBOARD_DOMAIN: fromEnv } };
    await applyDashboardDomainFromEnv(envDeps);
    expect(await readDashboardDomain(deps.db)).toBe(fromEnv);
    const locked = await setDashboardDomain(envDeps, { userId: "x", instanceRole: "owner" }, { dashboardDomain: dash }).catch(
      (err: unknown) => err,
    );
    expect((locked as DomainError).fieldErrors?.dashboardDomain).toMatch(/Set by BERTH_DASHBOARD_DOMAIN/);

    await deps.db.instanceSettings.update({ where: { id: 1 }, data: { dashboardDomain: "" } });
    await applyDashboardDomainFromEnv({ ...envDeps, env: { ...envDeps.env, BERTH_DASHBOARD_DOMAIN: `svc-${tag}.localhost` } });
    expect(await readDashboardDomain(deps.db)).toBe("");
  });
});
