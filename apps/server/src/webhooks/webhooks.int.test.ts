import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import { providerHeaders, pushFixtures, retarget, type PushFixture } from "../../test/webhook-fixtures.ts";
import { getHooks, rotateDeployHook, rotateWebhookSecret, setWebhookProvider } from "./hook-settings.ts";
import { MAX_REJECTED_PER_MINUTE, pruneDeliveries } from "./deliveries.ts";
import type { Actor } from "../teams/access.ts";

/**
 * Push webhooks and the deploy hook over the real HTTP handler and Postgres: real provider
 * payloads signed right and wrong. No worker runs: a deploy shows as a queued deployment row.
 */
const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
let actor: Actor;
let teamId: string;
const BRANCH = "main";

async function gitService(): Promise<{ serviceId: string; secret: string }> {
  const { serviceId } = await seedService(deps.db, teamId);
  await deps.db.service.update({
    where: { id: serviceId },
    data: { sourceType: "git", image: "", gitUrl: "https://git.example.test/app.git", gitBranch: BRANCH },
  });
  const { secret } = await rotateWebhookSecret(deps, actor, serviceId);
  return { serviceId, secret };
}

async function post(serviceId: string, body: Buffer, headers: Record<string, string>) {
  const res = await fetch(`${base}/hooks/git/${serviceId}`, { method: "POST", headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const deploymentsOf = (serviceId: string) => deps.db.deployment.findMany({ where: { serviceId }, orderBy: { createdAt: "asc" } });
const sha = () => randomUUID().replace(/-/g, "").padEnd(40, "a").slice(0, 40);

beforeAll(async () => {
  ({ server, base, io } = await startHttp(deps));
  ({ actor, teamId } = await seedUser(deps.db));
});

afterAll(async () => {
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

describe("push webhooks (real Postgres, real HTTP)", () => {
  for (const original of pushFixtures()) {
    it(`${original.provider}: a signed push to the service's branch queues exactly that commit without waiting for the build`, async () => {
      const { serviceId, secret } = await gitService();
      const fixture = retarget(original, BRANCH, sha());
      const raw = Buffer.from(JSON.stringify(fixture.body));
      const res = await post(serviceId, raw, providerHeaders(fixture.provider, raw, secret, { deliveryId: randomUUID() }));
      // Answered while the deployment is still queued: no worker runs here, so a receiver that
      // waited for the build would never answer (no bound on its milliseconds).
      expect(res).toMatchObject({ status: 202, json: { deployed: true, commit: fixture.commitSha } });
      const [deployment, ...more] = await deploymentsOf(serviceId);
      expect(more).toHaveLength(0);
      expect(deployment).toMatchObject({ trigger: "webhook", commitSha: fixture.commitSha, status: "queued" });
      const hooks = await getHooks(deps, actor, serviceId);
      expect(hooks.deliveries[0]).toMatchObject({
        provider: fixture.provider,
        outcome: "deployed",
        commitSha: fixture.commitSha,
        deploymentId: deployment!.id,
      });
    });
  }

  it("a form-encoded push (GitHub's API default, Gitea's option) deploys its commit; a recorded Gitea takes Forgejo's", async () => {
    for (const provider of ["github", "gitea"] as const) {
      const { serviceId, secret } = await gitService();
      const original = pushFixtures().find((f) => f.provider === provider)!;
      const fixture = retarget(original, BRANCH, sha());
      const json = JSON.stringify(fixture.body);
      const form = Buffer.from(new URLSearchParams({ payload: json }).toString());
      // GitHub signs what it sends; Gitea signs the JSON inside the form.
      const headers = providerHeaders(provider, provider === "github" ? form : Buffer.from(json), secret, { deliveryId: randomUUID() });
      headers["content-type"] = "application/x-www-form-urlencoded";
      expect(await post(serviceId, form, headers)).toMatchObject({ status: 202, json: { deployed: true, commit: fixture.commitSha } });
      if (provider !== "gitea") continue;
      // The same host upgraded to Forgejo (its own headers now): still this service's provider.
      const next = retarget(
        pushFixtures().find((f) => f.provider === "forgejo")!,
        BRANCH,
        sha(),
      );
      const raw = Buffer.from(JSON.stringify(next.body));
      expect(await post(serviceId, raw, providerHeaders("forgejo", raw, secret, { deliveryId: randomUUID() }))).toMatchObject({
        status: 202,
        json: { deployed: true, commit: next.commitSha },
      });
    }
  });

  it("pings, other events, pushes to other branches and tag pushes answer 2xx and deploy nothing", async () => {
    const { serviceId, secret } = await gitService();
    for (const fixture of pushFixtures()) {
      // A service takes one provider's webhooks: switch it for each.
      await setWebhookProvider(deps, actor, serviceId, fixture.provider);
      const other = retarget(fixture, "feature/x", sha());
      const raw = Buffer.from(JSON.stringify(other.body));
      expect((await post(serviceId, raw, providerHeaders(fixture.provider, raw, secret, { deliveryId: randomUUID() }))).status).toBe(202);
      const ping = Buffer.from(JSON.stringify({ zen: randomUUID() }));
      const [, , pingEvent] = (await import("../../test/webhook-fixtures.ts")).EVENT_HEADER[fixture.provider];
      const pinged = await post(
        serviceId,
        ping,
        providerHeaders(fixture.provider, ping, secret, { deliveryId: randomUUID(), event: pingEvent }),
      );
      expect(pinged.status).toBeLessThan(300);
    }
    expect(await deploymentsOf(serviceId)).toHaveLength(0);
    const outcomes = (await getHooks(deps, actor, serviceId)).deliveries.map((d) => d.outcome);
    expect(outcomes.length).toBeGreaterThanOrEqual(10);
    expect(new Set(outcomes)).toEqual(new Set(["ignored"]));
  });

  it("1,000 bad deliveries (wrong secret, unsigned, tampered, re-serialised, another service's secret) give 401 and 0 deploys", async () => {
    const { serviceId, secret } = await gitService();
    const other = await gitService();
    const fixtures = pushFixtures().map((f) => retarget(f, BRANCH, sha()));
    const bad: { body: Buffer; headers: Record<string, string> }[] = [];
    for (let i = 0; bad.length < 1000; i++) {
      const fixture = fixtures[i % fixtures.length] as PushFixture;
      const raw = Buffer.from(JSON.stringify(fixture.body));
      const deliveryId = randomUUID();
      const variants = [
        { body: raw, headers: providerHeaders(fixture.provider, raw, `${secret}x`, { deliveryId }) },
        { body: raw, headers: providerHeaders(fixture.provider, raw, null, { deliveryId }) },
        { body: raw, headers: providerHeaders(fixture.provider, raw, other.secret, { deliveryId }) },
        ...(fixture.provider === "gitlab"
          ? [
              {
                body: raw,
                headers: { ...providerHeaders(fixture.provider, raw, secret, { deliveryId }), "x-gitlab-token": secret.slice(0, -1) },
              },
            ]
          : [
              {
                body: Buffer.from(raw.toString().replace(fixture.commitSha, sha())),
                headers: providerHeaders(fixture.provider, raw, secret, { deliveryId }),
              },
              {
                body: Buffer.from(JSON.stringify(fixture.body, null, 2)),
                headers: providerHeaders(fixture.provider, raw, secret, { deliveryId }),
              },
            ]),
      ];
      bad.push(variants[i % variants.length]!);
    }
    const statuses: number[] = [];
    for (let i = 0; i < bad.length; i += 50) {
      const batch = await Promise.all(bad.slice(i, i + 50).map((b) => post(serviceId, b.body, b.headers)));
      statuses.push(...batch.map((r) => r.status));
    }
    expect(statuses).toHaveLength(1000);
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(await deploymentsOf(serviceId)).toHaveLength(0);
    expect(await deps.db.webhookDelivery.count({ where: { serviceId, outcome: { not: "rejected" } } })).toBe(0);
    // A flood is visible in the deliveries list but does not grow the table without bound.
    // (The cap is checked before each insert, so one concurrent batch of 50 may overshoot it.)
    const recorded = await deps.db.webhookDelivery.count({ where: { serviceId, outcome: "rejected" } });
    expect(recorded).toBeGreaterThanOrEqual(MAX_REJECTED_PER_MINUTE);
    expect(recorded).toBeLessThan(MAX_REJECTED_PER_MINUTE + 50);
  });

  it("100 concurrent redeliveries of one delivery id give exactly 1 deploy", async () => {
    const { serviceId, secret } = await gitService();
    const fixture = retarget(pushFixtures()[0]!, BRANCH, sha());
    const raw = Buffer.from(JSON.stringify(fixture.body));
    const headers = providerHeaders("github", raw, secret, { deliveryId: randomUUID() });
    const replies = await Promise.all(Array.from({ length: 100 }, () => post(serviceId, raw, headers)));
    expect(replies.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
    expect(replies.filter((r) => r.json.deployed === true)).toHaveLength(1);
    expect(replies.filter((r) => r.json.duplicate === true)).toHaveLength(99);
    const deployments = await deploymentsOf(serviceId);
    expect(deployments).toHaveLength(1);
    expect(deployments[0]?.commitSha).toBe(fixture.commitSha);
  });

  it("refuses bad input with the right status and writes no deployment", async () => {
    const { serviceId, secret } = await gitService();
    const plain = await seedService(deps.db, teamId); // no webhook secret
    const raw = Buffer.from(JSON.stringify(retarget(pushFixtures()[0]!, BRANCH, sha()).body));
    const headers = providerHeaders("github", raw, secret, { deliveryId: randomUUID() });
    expect((await post(randomUUID(), raw, headers)).status).toBe(404);
    expect((await post(plain.serviceId, raw, headers)).status).toBe(401);
    expect((await post(serviceId, raw, { "content-type": "application/json" })).status).toBe(400);
    const notJson = Buffer.from("{not json");
    expect((await post(serviceId, notJson, providerHeaders("github", notJson, secret, { deliveryId: randomUUID() }))).status).toBe(400);
    const huge = Buffer.alloc(1024 * 1024 + 1, 0x20);
    expect((await post(serviceId, huge, providerHeaders("github", huge, secret, { deliveryId: randomUUID() }))).status).toBe(413);
    expect((await fetch(`${base}/hooks/git/${serviceId}`)).status).toBe(405);
    expect(await deploymentsOf(serviceId)).toHaveLength(0);
    expect(await deploymentsOf(plain.serviceId)).toHaveLength(0);
  });
});

describe("delivery retention", () => {
  it("forgets rejected deliveries after a day and the others after 90 days", async () => {
    const { serviceId } = await gitService();
    const old = (days: number) => new Date(Date.now() - days * 86_400_000);
    const rows = [
      { outcome: "rejected" as const, createdAt: old(2), deliveryId: null },
      { outcome: "rejected" as const, createdAt: old(0.5), deliveryId: null },
      { outcome: "deployed" as const, createdAt: old(30), deliveryId: `keep-${randomUUID()}` },
      { outcome: "ignored" as const, createdAt: old(91), deliveryId: `drop-${randomUUID()}` },
    ];
    for (const r of rows) await deps.db.webhookDelivery.create({ data: { serviceId, provider: "github", ...r } });
    expect(await pruneDeliveries(deps.db)).toBeGreaterThanOrEqual(2);
    const left = await deps.db.webhookDelivery.findMany({ where: { serviceId }, orderBy: { createdAt: "asc" } });
    expect(left.map((d) => d.outcome)).toEqual(["deployed", "rejected"]);
  });
});

describe("generic deploy hook", () => {
  it("deploys the configured image whatever the body says; a rotated token stops working", async () => {
    const { serviceId } = await seedService(deps.db, teamId);
    const first = await rotateDeployHook(deps, actor, serviceId);
    const stored = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    expect(stored.deployHookHash).not.toBeNull();
    expect(first.url).not.toContain(stored.deployHookHash!);
    const res = await fetch(first.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ image: "evil/image:latest", branch: "evil", commit: "0".repeat(40) }),
    });
    expect(res.status).toBe(202);
    const [deployment] = await deploymentsOf(serviceId);
    expect(deployment).toMatchObject({ image: stored.image, trigger: "deploy_hook", commitSha: null });

    const second = await rotateDeployHook(deps, actor, serviceId);
    expect((await fetch(first.url, { method: "POST" })).status).toBe(404);
    expect((await fetch(second.url, { method: "POST" })).status).toBe(202);
    expect((await fetch(`${base}/hooks/deploy/bdh_guess`, { method: "POST" })).status).toBe(404);
    expect(await deploymentsOf(serviceId)).toHaveLength(2);
  });
});
