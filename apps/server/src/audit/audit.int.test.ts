import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { seedUser, testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
const createdServices: string[] = [];

beforeAll(async () => {
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  // This test's server sits behind a "proxy" on 127.0.0.1: its X-Forwarded-For is believed.
  deps.env = { ...deps.env, BERTH_TRUSTED_PROXIES: ["127.0.0.1"] };
  ({ server, base, io } = await startHttp(deps));
});
afterAll(async () => {
  await deps.db.service.deleteMany({ where: { id: { in: createdServices } } });
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

type Event = { action: string; actorEmail: string; ip: string; detail: Record<string, unknown>; targetId: string };

it("records who did what from which address, env names without values; admins filter it, members cannot read it", async () => {
  const address = `au-${randomUUID().slice(0, 8)}@example.test`;
  const owner = new Client(base);
  expect((await owner.signUp(address, undefined, { "x-forwarded-for": "203.0.113.50" })).status).toBe(200);
  const teamId = (await owner.query("me.get")).data.teams[0].id as string;
  const projectId = (await owner.mutate("projects.create", { teamId, name: "audited" })).data.id as string;
  const created = await owner.mutate("services.create", {
    projectId,
    name: "web",
    image: "berth-test/hello:latest",
    containerPort: 8080,
    env: [{ key: "DATABASE_PASSWORD", value: "hunter2-very-secret" }],
  });
  const serviceId = created.data.id as string;
  createdServices.push(serviceId);
  expect((await owner.mutate("services.deploy", { serviceId })).error).toBeUndefined();

  const all = (await owner.query("audit.list", { teamId })).data as Event[];
  const actions = all.map((e) => e.action);
  expect(actions).toEqual(
    expect.arrayContaining(["auth.sign_up", "auth.sign_in", "project.create", "service.create", "env.set", "service.deploy"]),
  );
  expect(all.find((e) => e.action === "auth.sign_up")).toMatchObject({ actorEmail: address, ip: "203.0.113.50" });
  expect(all.find((e) => e.action === "project.create")).toMatchObject({
    actorEmail: address,
    targetId: projectId,
    detail: { name: "audited" },
  });
  expect(JSON.stringify(all)).not.toContain("hunter2");
  expect(all.find((e) => e.action === "env.set")?.detail).toEqual({ names: ["DATABASE_PASSWORD"] });
  expect(all.find((e) => e.action === "auth.sign_in")).toMatchObject({ actorEmail: address, ip: "203.0.113.50" });
  expect(all.find((e) => e.action === "service.deploy")).toMatchObject({ actorEmail: address, targetId: serviceId });

  const deploys = (await owner.query("audit.list", { teamId, action: "service.deploy" })).data as Event[];
  expect(deploys.map((e) => e.action)).toEqual(["service.deploy"]);
  expect((await owner.query("audit.list", { teamId, actorEmail: "nobody-else" })).data).toEqual([]);

  const member = new Client(base);
  expect((await member.signUp(`aum-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const memberId = (await member.query("me.get")).data.user.id as string;
  await owner.mutate("invitations.create", { teamId, email: `auinv-${randomUUID().slice(0, 8)}@example.test`, role: "viewer" });
  await deps.db.membership.create({ data: { teamId, userId: memberId, role: "member" } });
  expect((await member.query("audit.list", { teamId })).error?.data.code).toBe("FORBIDDEN");
  const memberEvents = (await owner.query("audit.list", { teamId, action: "member." })).data as Event[];
  expect(memberEvents.map((e) => e.action)).toEqual(["member.invite"]);
});

it("tRPC mutations need Content-Type: application/json (a cross-site form post cannot send it)", async () => {
  const owner = new Client(base);
  expect((await owner.signUp(`ct-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const before = await deps.db.team.count();
  const res = await fetch(`${base}/trpc/teams.create`, {
    method: "POST",
    headers: { "content-type": "text/plain", cookie: owner.cookie },
    body: JSON.stringify({ name: "via form" }),
  });
  expect(res.status).toBe(415);
  const form = await fetch(`${base}/trpc/teams.create`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: owner.cookie },
    body: "name=via+form",
  });
  expect(form.status).toBe(415);
  expect(await deps.db.team.count()).toBe(before);
  expect((await owner.mutate("teams.create", { name: "via json" })).error).toBeUndefined();
});
