import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { hashSecret } from "./token-secret.ts";

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;

beforeAll(async () => {
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
});
const services: string[] = [];
afterAll(async () => {
  // No worker runs here: drop the queued deployments so no other test's worker picks them up.
  await deps.db.service.deleteMany({ where: { id: { in: services } } });
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

async function owner() {
  const client = new Client(base);
  expect((await client.signUp(`tok-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const me = await client.query("me.get");
  const teamId = me.data.teams[0].id as string;
  const { serviceId } = await seedService(deps.db, teamId);
  services.push(serviceId);
  return { client, teamId, serviceId, userId: me.data.user.id as string };
}

const deployOverHttp = (serviceId: string, token: string | null) =>
  fetch(`${base}/api/v1/services/${serviceId}/deploy`, { method: "POST", headers: token ? { authorization: `Bearer ${token}` } : {} });

async function tokenOf(client: Client, teamId: string, scope: string, extra: Record<string, unknown> = {}) {
  const res = await client.mutate("tokens.create", { teamId, name: `${scope}-token`, scope, ...extra });
  expect(res.error).toBeUndefined();
  const bearer = new Client(base);
  bearer.bearer = res.data.token as string;
  return { id: res.data.id as string, secret: res.data.token as string, bearer };
}

describe("API tokens", () => {
  it("are shown once and stored hashed; the list shows name, scope, prefix and last use, never the secret", async () => {
    const o = await owner();
    const t = await tokenOf(o.client, o.teamId, "read");
    expect(t.secret).toMatch(/^berth_[A-Za-z0-9_-]{43}$/);
    const row = await deps.db.apiToken.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.tokenHash).toBe(hashSecret(t.secret));
    expect(JSON.stringify(row)).not.toContain(t.secret);
    expect(row.lastUsedAt).toBeNull();
    expect((await t.bearer.query("services.get", { serviceId: o.serviceId })).data.id).toBe(o.serviceId);
    const list = await o.client.query("tokens.list");
    expect(JSON.stringify(list.data)).not.toContain(t.secret);
    expect(list.data[0]).toMatchObject({ id: t.id, scope: "read", prefix: t.secret.slice(0, 12), team: { id: o.teamId } });
    expect(list.data[0].lastUsedAt).not.toBeNull();
  });

  it("a deploy-scoped token deploys through POST /api/v1/services/:id/deploy; read-scoped and missing tokens are refused", async () => {
    const o = await owner();
    const read = await tokenOf(o.client, o.teamId, "read");
    const deploy = await tokenOf(o.client, o.teamId, "deploy");

    const refused = await deployOverHttp(o.serviceId, read.secret);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "FORBIDDEN" });
    expect((await deployOverHttp(o.serviceId, null)).status).toBe(401);
    expect((await deployOverHttp(o.serviceId, "berth_forged")).status).toBe(401);
    expect(await deps.db.deployment.count({ where: { serviceId: o.serviceId } })).toBe(0);

    const ok = await deployOverHttp(o.serviceId, deploy.secret);
    expect(ok.status).toBe(202);
    const { deploymentId } = (await ok.json()) as { deploymentId: string };
    expect(await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } })).toMatchObject({
      trigger: "api",
      actorId: o.userId,
    });

    // Over tRPC: deploy scope may deploy but not delete; read scope may only read.
    expect((await read.bearer.mutate("services.deploy", { serviceId: o.serviceId })).error?.data.code).toBe("FORBIDDEN");
    expect((await deploy.bearer.mutate("services.deploy", { serviceId: o.serviceId })).error).toBeUndefined();
    expect((await deploy.bearer.mutate("services.delete", { serviceId: o.serviceId })).error?.data.code).toBe("FORBIDDEN");
    expect(await deps.db.service.count({ where: { id: o.serviceId } })).toBe(1);
  });

  it("tokens act only in their own team and cannot manage accounts", async () => {
    const a = await owner();
    const b = await owner();
    const admin = await tokenOf(a.client, a.teamId, "admin");
    expect((await admin.bearer.query("services.get", { serviceId: b.serviceId })).error?.data.code).toBe("NOT_FOUND");
    expect((await deployOverHttp(b.serviceId, admin.secret)).status).toBe(404);
    expect((await admin.bearer.mutate("tokens.create", { teamId: a.teamId, name: "x", scope: "admin" })).error?.data.code).toBe(
      "FORBIDDEN",
    );
    expect((await admin.bearer.query("me.sessions")).error?.data.code).toBe("FORBIDDEN");
  });

  it("revoked and expired tokens fail at once; a removed member's tokens die with the membership", async () => {
    const o = await owner();
    const t = await tokenOf(o.client, o.teamId, "deploy");
    expect((await deployOverHttp(o.serviceId, t.secret)).status).toBe(202);
    expect((await o.client.mutate("tokens.revoke", { tokenId: t.id })).data).toEqual({ ok: true });
    expect((await deployOverHttp(o.serviceId, t.secret)).status).toBe(401);
    expect((await t.bearer.query("services.get", { serviceId: o.serviceId })).error?.data.code).toBe("UNAUTHORIZED");

    const e = await tokenOf(o.client, o.teamId, "read", { expiresInDays: 1 });
    await deps.db.apiToken.update({ where: { id: e.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await e.bearer.query("services.get", { serviceId: o.serviceId })).error?.data.code).toBe("UNAUTHORIZED");
    // The REST endpoint too: the same token deploys until it expires.
    const d = await tokenOf(o.client, o.teamId, "deploy", { expiresInDays: 1 });
    expect((await deployOverHttp(o.serviceId, d.secret)).status).toBe(202);
    await deps.db.apiToken.update({ where: { id: d.id }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect((await deployOverHttp(o.serviceId, d.secret)).status).toBe(401);

    const member = new Client(base);
    expect((await member.signUp(`tokm-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
    const memberId = (await member.query("me.get")).data.user.id as string;
    await deps.db.membership.create({ data: { teamId: o.teamId, userId: memberId, role: "member" } });
    const mt = await tokenOf(member, o.teamId, "deploy");
    expect((await o.client.mutate("teams.removeMember", { teamId: o.teamId, userId: memberId })).data).toEqual({ ok: true });
    expect((await deployOverHttp(o.serviceId, mt.secret)).status).toBe(401);
  });

  it("a viewer cannot mint a deploy token; bad input is refused field by field", async () => {
    const o = await owner();
    const viewer = new Client(base);
    expect((await viewer.signUp(`tokv-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
    const viewerId = (await viewer.query("me.get")).data.user.id as string;
    await deps.db.membership.create({ data: { teamId: o.teamId, userId: viewerId, role: "viewer" } });
    expect((await viewer.mutate("tokens.create", { teamId: o.teamId, name: "x", scope: "deploy" })).error?.data.code).toBe("FORBIDDEN");
    const bad = await o.client.mutate("tokens.create", { teamId: o.teamId, name: "", scope: "root", expiresInDays: 0 });
    expect(Object.keys(bad.error?.data.fieldErrors ?? {}).sort()).toEqual(["expiresInDays", "name", "scope"]);
    expect(await deps.db.apiToken.count({ where: { teamId: o.teamId } })).toBe(0);
  });
});
