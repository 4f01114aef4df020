/**
 * Issue #14.3: one team cannot freeze or probe the shared proxy. Placeholder user names and
 * malformed allow-list entries are refused; a bad stored route is left out (and reported on its
 * domain) while everyone else's routes load; Caddy's environment holds no secret. Real Caddy.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import bcrypt from "bcryptjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proxyGet, TestCaddy } from "../../test/caddy.ts";
import { freePort } from "../../test/free-ports.ts";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { addDomain, updateDomain } from "../domains/domains.ts";
import { listDomains } from "../domains/domain-view.ts";
import { CaddyAdmin } from "./caddy-admin.ts";
import type { EdgeProxy } from "./edge-proxy.ts";

const deps = testDeps();
const tag = randomUUID().slice(0, 8);
const host = (name: string) => `${name}-${tag}.localhost`;
let caddy: TestCaddy;
let proxy: EdgeProxy;

beforeAll(async () => {
  caddy = await TestCaddy.start();
  proxy = caddy.edgeProxy(deps);
  deps.proxy = proxy;
});

afterAll(async () => {
  await proxy.stop();
  await caddy.stop();
  await deps.db.$disconnect();
});

function environOf(pid: number): string[] {
  return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
}

describe("one team's domain settings cannot freeze or probe the shared proxy", () => {
  it("refuses placeholder user names and malformed allow-list entries", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    await expect(
      addDomain(deps, actor, { serviceId, hostname: host("ph"), basicAuth: { user: "{env.BERTH_SECRET}", password: "long enough" } }),
    ).rejects.toMatchObject({
      code: "INVALID",
      fieldErrors: { "basicAuth.user": expect.any(String) },
    });
    for (const entry of [":::::", "1:2", "127.1", "{env.HOME}"]) {
      await expect(addDomain(deps, actor, { serviceId, hostname: host("ip"), ipAllowList: [entry] })).rejects.toMatchObject({
        code: "INVALID",
        fieldErrors: { ipAllowList: expect.any(String) },
      });
    }
    const { id } = await addDomain(deps, actor, { serviceId, hostname: host("ok"), ipAllowList: ["10.0.0.0/8", "2001:DB8::/32"] });
    await expect(
      updateDomain(deps, actor, { serviceId, domainId: id, basicAuth: { user: "{http.request.host}", password: "long enough" } }),
    ).rejects.toMatchObject({ code: "INVALID" });
    expect((await deps.db.domain.findUniqueOrThrow({ where: { id } })).ipAllowList).toEqual(["10.0.0.0/8", "2001:db8::/32"]);
  });

  it("a bad stored route is left out and reported on its domain; every other route still loads", async () => {
    const a = await seedUser(deps.db);
    const b = await seedUser(deps.db);
    const good = await seedService(deps.db, a.teamId);
    const bad = await seedService(deps.db, b.teamId);
    await addDomain(deps, a.actor, { serviceId: good.serviceId, hostname: host("good") });
    // Rows as an older Berth (or any other path) could have stored them: Caddy refuses ":::::" outright.
    const badIp = await deps.db.domain.create({ data: { serviceId: bad.serviceId, hostname: host("badip"), ipAllowList: [":::::"] } });
    const badUser = await deps.db.domain.create({
      data: {
        serviceId: bad.serviceId,
        hostname: host("baduser"),
        basicAuthUser: "{env.BERTH_SECRET}",
        basicAuthHash: bcrypt.hashSync("x", 4),
      },
    });

    await proxy.apply(true);
    const ca = await caddy.admin.internalRootPem();
    // Team A's route is live (no release yet: the route answers 503 from the proxy).
    const res = await waitFor("team A's route", async () => proxyGet(caddy, { hostname: host("good"), ca }).catch(() => null));
    expect(res).toMatchObject({ status: 503, body: expect.stringContaining("No release of this service is running") });
    // This file's domains only: a bad route another file left in the worker's database is skipped too.
    const skipped = (proxy.status().skipped ?? []).filter((s) => s.hostname.endsWith(`-${tag}.localhost`));
    expect(skipped.map((s) => s.domainId).sort()).toEqual([badIp.id, badUser.id].sort());
    const config = JSON.stringify(await caddy.admin.config());
    expect(config).not.toContain("{env.");
    expect(config).not.toContain(":::::");
    const view = await listDomains(deps, b.actor, bad.serviceId);
    expect(view.find((d) => d.id === badIp.id)?.proxyError).toMatch(/IP allow-list entry/);
    expect(view.find((d) => d.id === badUser.id)?.proxyError).toMatch(/basic-auth/);
    await deps.db.domain.deleteMany({ where: { id: { in: [badIp.id, badUser.id] } } });
  });

  it("Caddy runs without Berth's secrets in its environment (tests' Caddy and infra/proxy-run.sh)", async () => {
    expect(process.env.BERTH_SECRET).toBeTruthy();
    const testEnv = environOf(caddy.pid!);
    expect(testEnv.some((e) => e.startsWith("BERTH_SECRET=") || e.startsWith("DATABASE_URL="))).toBe(false);

    const dataDir = mkdtempSync(path.join(tmpdir(), "berth-proxy-run-"));
    const admin = `127.0.0.1:${await freePort()}`;
    const repo = path.resolve(import.meta.dirname, "../../../..");
    const child = spawn("bash", [path.join(repo, "infra/proxy-run.sh")], {
      env: {
        ...process.env,
        BERTH_SECRET: "canary-secret",
        BERTH_SMTP_URL: "smtp://u:canary@127.0.0.1",
        BERTH_PROXY_ADMIN: admin,
        BERTH_PROXY_DATA_DIR: dataDir,
      },
      stdio: "ignore",
    });
    try {
      await waitFor(
        "proxy-run.sh's caddy",
        () =>
          new CaddyAdmin(admin, 1000).config().then(
            () => true,
            () => false,
          ),
        10_000,
      );
      // The script execs caddy: the child's pid is Caddy's.
      const environ = environOf(child.pid!);
      expect(readFileSync(`/proc/${child.pid}/cmdline`, "utf8")).toContain("caddy");
      expect(environ.join("\n")).not.toContain("canary");
      expect(environ.some((e) => e.startsWith("BERTH_") || e.startsWith("DATABASE_URL="))).toBe(false);
    } finally {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGKILL");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
