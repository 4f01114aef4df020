import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { testDeps, seedService, seedUser, TEST_IMAGE } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { pruneProjectNetwork } from "../services/project-network.ts";

const deps = testDeps();
let server: Server;
let base: string;
const email = (tag: string) => `${tag}-${randomUUID().slice(0, 8)}@example.test`;

beforeAll(async () => {
  // Auth rules depend on whether any user exists: start from an instance with none. The truncation
  // forgets the projects earlier files of this worker made, and the tier's teardown finds the
  // networks files left by the projects still in the database: their empty networks go first.
  for (const { id } of await deps.db.project.findMany({ select: { id: true } })) await pruneProjectNetwork(deps, id);
  await deps.db.$executeRawUnsafe('TRUNCATE "user", team, instance_settings CASCADE');
  ({ server, base } = await startHttp(deps));
});

afterAll(async () => {
  server.close();
  await deps.db.$disconnect();
});

describe("auth, authorization and errors over HTTP", () => {
  const owner = () => new Client(base);
  let ownerClient: Client;
  let teamId: string;

  it("the first user becomes instance owner with a personal team; the session cookie is HttpOnly and SameSite", async () => {
    ownerClient = owner();
    const res = await ownerClient.signUp(email("owner"));
    expect(res.status).toBe(200);
    const sessionCookie = res.setCookie.find((c) => c.startsWith("berth.session_token="));
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
    const me = await ownerClient.query("me.get");
    expect(me.data.user.instanceRole).toBe("owner");
    expect(me.data.teams).toHaveLength(1);
    expect(me.data.teams[0]).toMatchObject({ personal: true, role: "owner" });
    teamId = me.data.teams[0].id;
    const stored = await deps.db.account.findFirstOrThrow({ where: { userId: me.data.user.id } });
    expect(stored.password).not.toContain("correct horse");
  });

  it("after the first user, sign-up is closed until the owner opens it", async () => {
    const closed = await new Client(base).signUp(email("late"));
    expect(closed.status).toBe(403);
    expect(JSON.stringify(closed.body)).toMatch(/Sign-up is closed/);

    const opened = await ownerClient.mutate("instance.updateSettings", { signupOpen: true });
    expect(opened.data).toMatchObject({ signupOpen: true });
    const second = new Client(base);
    expect((await second.signUp(email("second"))).status).toBe(200);
    const me = await second.query("me.get");
    expect(me.data.user.instanceRole).toBe("user");
    const refused = await second.mutate("instance.updateSettings", { signupOpen: false });
    expect(refused.error?.data.code).toBe("FORBIDDEN");
    expect((await second.mutate("instance.updateSettings", { allowLocalSources: true })).error?.data.code).toBe("FORBIDDEN");
    // Host access for compose stacks: off by default, only the owner flips it, audited.
    expect((await second.mutate("instance.updateSettings", { allowHostAccess: true })).error?.data.code).toBe("FORBIDDEN");
    expect((await ownerClient.query("instance.settings")).data).toMatchObject({ allowHostAccess: false });
    expect((await ownerClient.mutate("instance.updateSettings", { allowHostAccess: true })).data).toMatchObject({ allowHostAccess: true });
    const audit = await deps.db.auditEvent.findFirstOrThrow({ where: { action: "instance.settings" }, orderBy: { createdAt: "desc" } });
    expect(audit.detail).toEqual({ fields: ["allowHostAccess"] });
    expect((await ownerClient.mutate("instance.updateSettings", { allowHostAccess: false })).data).toMatchObject({
      allowHostAccess: false,
    });
  });

  it("the owner sees and changes the global build concurrency; bad values are refused at the field", async () => {
    const bad = await ownerClient.mutate("instance.updateSettings", { buildConcurrency: 0 });
    expect(bad.error?.data.code).toBe("BAD_REQUEST");
    expect(bad.error?.data.fieldErrors).toEqual({ buildConcurrency: "At least 1" });
    expect((await ownerClient.mutate("instance.updateSettings", { buildConcurrency: 3 })).data).toMatchObject({ buildConcurrency: 3 });
    expect((await ownerClient.query("instance.settings")).data).toMatchObject({ buildConcurrency: 3 });
    expect((await ownerClient.mutate("instance.updateSettings", { buildConcurrency: null })).data).toMatchObject({
      buildConcurrency: null,
    });
  });

  it("the instance owner sets base domain and build concurrency and lists users; bad values are refused at the field", async () => {
    const saved = await ownerClient.mutate("instance.updateSettings", {
      signupOpen: true,
      baseDomain: "Apps.Example.com",
      buildConcurrency: 4,
    });
    expect(saved.data).toMatchObject({ signupOpen: true, baseDomain: "apps.example.com", buildConcurrency: 4 });
    const bad = await ownerClient.mutate("instance.updateSettings", { signupOpen: true, baseDomain: "not a domain", buildConcurrency: 0 });
    expect(Object.keys(bad.error?.data.fieldErrors ?? {}).sort()).toEqual(["baseDomain", "buildConcurrency"]);
    expect((await ownerClient.query("instance.settings")).data).toMatchObject({
      signupOpen: true,
      baseDomain: "apps.example.com",
      buildConcurrency: 4,
    });
    const users = await ownerClient.query("instance.users");
    expect(users.data.map((u: { instanceRole: string }) => u.instanceRole)).toEqual(["owner", "user"]);
  });

  it("anonymous callers get UNAUTHORIZED", async () => {
    const res = await new Client(base).query("me.get");
    expect(res.status).toBe(401);
    expect(res.error?.data.code).toBe("UNAUTHORIZED");
  });

  it("bad service input is refused field by field and writes nothing", async () => {
    const project = await ownerClient.mutate("projects.create", { teamId, name: "shop" });
    const projectId = project.data.id as string;
    const bad = await ownerClient.mutate("services.create", {
      projectId,
      name: "Web App",
      image: "Not A Valid:::Image",
      containerPort: 70000,
      env: [{ key: "1BAD", value: "x" }],
    });
    expect(bad.status).toBe(400);
    expect(bad.error?.data.code).toBe("BAD_REQUEST");
    expect(Object.keys(bad.error!.data.fieldErrors!).sort()).toEqual(["containerPort", "env.0.key", "image", "name"]);
    expect(bad.error!.data.fieldErrors!.containerPort).toMatch(/between 1 and 65535/);
    expect(await deps.db.service.count({ where: { projectId } })).toBe(0);

    const ok = await ownerClient.mutate("services.create", { projectId, name: "web", image: TEST_IMAGE, containerPort: 8080, env: [] });
    expect(ok.status).toBe(200);
    const dup = await ownerClient.mutate("services.create", { projectId, name: "web", image: TEST_IMAGE, containerPort: 8080, env: [] });
    expect(dup.status).toBe(400);
    expect(dup.error!.data.fieldErrors).toEqual({ name: 'A service named "web" already exists in this project' });
    expect(await deps.db.service.count({ where: { projectId } })).toBe(1);
  });

  it("another team's resources are NOT_FOUND, and a viewer cannot deploy", async () => {
    const other = await seedUser(deps.db);
    const { serviceId, projectId } = await seedService(deps.db, other.teamId);
    for (const res of [
      await ownerClient.query("services.get", { serviceId }),
      await ownerClient.query("projects.get", { projectId }),
      await ownerClient.query("deployments.list", { serviceId }),
      await ownerClient.mutate("services.deploy", { serviceId }),
      await ownerClient.mutate("services.delete", { serviceId }),
      await ownerClient.query("projects.list", { teamId: other.teamId }),
    ]) {
      expect(res.error?.data.code).toBe("NOT_FOUND");
    }
    expect(await deps.db.service.count({ where: { id: serviceId } })).toBe(1);
    expect(await deps.db.deployment.count({ where: { serviceId } })).toBe(0);

    const viewer = new Client(base);
    const viewerEmail = email("viewer");
    await viewer.signUp(viewerEmail);
    const viewerUser = await deps.db.user.findUniqueOrThrow({ where: { email: viewerEmail } });
    await deps.db.membership.create({ data: { teamId: other.teamId, userId: viewerUser.id, role: "viewer" } });
    expect((await viewer.query("services.get", { serviceId })).data.id).toBe(serviceId);
    const denied = await viewer.mutate("services.deploy", { serviceId });
    expect(denied.error?.data.code).toBe("FORBIDDEN");
    expect(await deps.db.deployment.count({ where: { serviceId } })).toBe(0);
  });

  it("cross-origin mutations are refused", async () => {
    const res = await ownerClient.mutate("projects.create", { teamId, name: "evil" }, "http://evil.example");
    expect(res.status).toBe(403);
    expect(await deps.db.project.count({ where: { teamId, name: "evil" } })).toBe(0);
  });

  it("/healthz reports database and engine as JSON", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; database: { ok: boolean }; engine: { ok: boolean } };
    expect(body).toMatchObject({ status: "ok", database: { ok: true }, engine: { ok: true } });
  });
});
