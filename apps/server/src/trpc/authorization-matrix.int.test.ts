import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { io as connect, type Socket } from "socket.io-client";
import type { Server as SocketServer } from "socket.io";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { matrixInput, teamSnapshot, type Victim } from "../../test/authorization-matrix-inputs.ts";
import { ROOM_EVENTS } from "../realtime/gateway.ts";
import { createInvitation } from "../teams/invitations.ts";
import { createApiToken } from "../tokens/api-tokens.ts";
import { appRouter } from "./router.ts";
import type { ProcedureMeta } from "./init.ts";

/**
 * Tenant isolation, proven over EVERY procedure of the app router and every socket room event:
 * callers from another team (viewer, member, admin, owner, an admin-scoped API token) and
 * anonymous callers act on team A's seeded resources; each is refused and nothing of team A changes.
 */
const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
const sockets: Socket[] = [];
const email = (tag: string) => `mx-${tag}-${randomUUID().slice(0, 8)}@example.test`;

interface Procedure {
  _def: { type: "query" | "mutation" | "subscription"; meta?: ProcedureMeta };
}
const procedures = Object.entries((appRouter._def as unknown as { procedures: Record<string, Procedure> }).procedures);

/** Callable by any signed-in user on their OWN data; checked for leaks of team A's ids instead. */
const OWN_DATA = new Set(["me.get", "me.sessions", "tokens.list", "teams.create"]);

const victim = {} as Victim;
const inputFor = (path: string) => matrixInput(victim, path, email);
const snapshot = () => teamSnapshot(deps.db, victim);

type Caller = { name: string; client: Client; anonymous: boolean };
const callers: Caller[] = [];

async function signUp(tag: string): Promise<{ client: Client; userId: string; teamId: string; email: string }> {
  const client = new Client(base);
  const address = email(tag);
  expect((await client.signUp(address)).status).toBe(200);
  const me = await client.query("me.get");
  return { client, userId: me.data.user.id, teamId: me.data.teams[0].id, email: address };
}

beforeAll(async () => {
  // Never let a matrix caller be the instance owner: make sure someone else signed up first.
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));

  const a = await signUp("victim");
  const member = await signUp("victim-member");
  await deps.db.membership.create({ data: { teamId: a.teamId, userId: member.userId, role: "viewer" } });
  const { projectId, serviceId } = await seedService(deps.db, a.teamId);
  await deps.db.deployment.create({ data: { serviceId, image: "berth-test/hello:latest", status: "failed" } });
  const released = await deps.db.deployment.create({ data: { serviceId, image: "berth-test/hello:latest", status: "succeeded" } });
  const release = await deps.db.release.create({
    data: { serviceId, number: 1, deploymentId: released.id, image: "berth-test/hello:latest", config: { containerPort: 8080, env: {} } },
  });
  const actor = { userId: a.userId, instanceRole: "user" as const };
  const invite = await createInvitation(
    deps.db,
    actor,
    { teamId: a.teamId, email: email("invitee"), role: "member" },
    { publicUrl: base, callerRole: "owner" },
  );
  const token = await createApiToken(deps.db, actor, { teamId: a.teamId, name: "victim-ci", scope: "admin" });
  const session = await deps.db.session.findFirstOrThrow({ where: { userId: a.userId } });
  const domain = await deps.db.domain.create({ data: { serviceId, hostname: `victim-${serviceId.slice(0, 8)}.localhost` } });
  const envVar = await deps.db.envVar.findFirstOrThrow({ where: { serviceId } });
  const volume = await deps.db.volume.create({ data: { projectId, serviceId: null, name: "victim-data", mountPath: "/data" } });
  const registry = await deps.db.registryCredential.create({
    data: { teamId: a.teamId, registry: "registry.victim.example", username: "victim", password: deps.box.seal("victim-password") },
  });
  const stack = await deps.db.stack.create({
    data: {
      projectId,
      name: "victim-stack",
      compose: "services: {}",
      variables: deps.box.seal("{}"),
      services: { create: { serviceId, position: 0 } },
    },
  });
  const channel = await deps.db.notificationChannel.create({
    data: { projectId, kind: "webhook", name: "victim-hook", target: deps.box.seal("https://example.com/victim-hook") },
  });
  const cronJob = await deps.db.cronJob.create({
    data: { serviceId, name: "victim-job", schedule: "0 3 * * *", command: "echo victim", enabled: false },
  });
  const run = await deps.db.oneOffRun.create({
    data: {
      serviceId,
      deploymentId: released.id,
      command: ["echo", "victim"],
      status: "succeeded",
      exitCode: 0,
      output: "victim\n",
      timeoutS: 60,
      finishedAt: new Date(),
    },
  });
  const backup = await deps.db.databaseBackup.create({
    data: {
      serviceId,
      status: "succeeded",
      trigger: "manual",
      destinationKind: "directory",
      location: "victim.pgdump",
      finishedAt: new Date(),
    },
  });
  const restore = await deps.db.backupRestore.create({
    data: { backupId: backup.id, serviceId, status: "succeeded", finishedAt: new Date() },
  });
  Object.assign(victim, {
    backupId: backup.id,
    restoreId: restore.id,
    runId: run.id,
    cronJobId: cronJob.id,
    domainId: domain.id,
    ...a,
    projectId,
    serviceId,
    deploymentId: released.id,
    releaseId: release.id,
    memberId: member.userId,
    sessionId: session.id,
    tokenId: token.id,
    tokenSecret: token.token,
    invitationId: invite.id,
    inviteSecret: invite.link.split("/invite/")[1],
    envVarId: envVar.id,
    envVarName: envVar.name,
    channelId: channel.id,
    volumeId: volume.id,
    registryId: registry.id,
    stackId: stack.id,
  });

  // Team B: an owner, an admin, a member and a viewer; plus an admin-scoped token of B's owner.
  const owner = await signUp("b-owner");
  const teamB = (await deps.db.team.create({ data: { name: `team-b-${randomUUID().slice(0, 6)}` } })).id;
  await deps.db.membership.create({ data: { teamId: teamB, userId: owner.userId, role: "owner" } });
  callers.push({ name: "anonymous", client: new Client(base), anonymous: true });
  callers.push({ name: "owner of another team", client: owner.client, anonymous: false });
  for (const role of ["admin", "member", "viewer"] as const) {
    const user = await signUp(`b-${role}`);
    await deps.db.membership.create({ data: { teamId: teamB, userId: user.userId, role } });
    callers.push({ name: `${role} of another team`, client: user.client, anonymous: false });
  }
  const bToken = await createApiToken(
    deps.db,
    { userId: owner.userId, instanceRole: "user" },
    { teamId: teamB, name: "b-ci", scope: "admin" },
  );
  const tokenClient = new Client(base);
  tokenClient.bearer = bToken.token;
  callers.push({ name: "admin-scoped API token of another team", client: tokenClient, anonymous: false });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

describe("every procedure declares what it acts on", () => {
  it("walks the whole app router: each procedure has a resource, and resource-scoped ones a role", () => {
    expect(procedures.length).toBeGreaterThan(20);
    const undeclared = procedures.filter(([, p]) => !p._def.meta?.resource).map(([path]) => path);
    expect(undeclared).toEqual([]);
    const scopedWithoutRole = procedures
      .filter(
        ([, p]) =>
          ["team", "project", "service", "deployment", "release", "stack", "instance"].includes(p._def.meta?.resource ?? "") &&
          !p._def.meta?.role,
      )
      .map(([path]) => path);
    expect(scopedWithoutRole).toEqual([]);
  });

  it("the victim's own queries succeed with the matrix inputs (so every refusal below is authorization, not bad input)", async () => {
    for (const [path, p] of procedures) {
      // tokens.current answers API tokens only (the victim here is a session).
      if (p._def.type !== "query" || p._def.meta?.resource === "instance" || p._def.meta?.resource === "token") continue;
      const res = await victim.client.query(path, inputFor(path));
      expect({ path, error: res.error?.data.code }).toEqual({ path, error: undefined });
    }
  });
});

describe("the matrix: every procedure x caller from outside team A, on team A's resources", () => {
  it("refuses every call and changes nothing of team A", async () => {
    const before = await snapshot();
    const victimIds = [
      victim.userId,
      victim.teamId,
      victim.projectId,
      victim.serviceId,
      victim.deploymentId,
      victim.releaseId,
      victim.sessionId,
      victim.tokenId,
      victim.invitationId,
      victim.domainId,
      victim.email,
    ];
    let calls = 0;
    for (const [path, p] of procedures) {
      const resource = p._def.meta?.resource;
      for (const caller of callers) {
        const input = inputFor(path);
        const res = p._def.type === "query" ? await caller.client.query(path, input) : await caller.client.mutate(path, input);
        calls++;
        const seen = { path, caller: caller.name };
        const body = JSON.stringify(res.data ?? null);
        if (resource === "public") {
          // Public procedures answer anyone; the invitation preview shows only what its secret unlocks.
          for (const id of victimIds.filter((id) => id !== victim.email))
            expect({ ...seen, leaks: body.includes(id) }).toEqual({ ...seen, leaks: false });
        } else if (caller.anonymous) {
          expect({ ...seen, code: res.error?.data.code }).toEqual({ ...seen, code: "UNAUTHORIZED" });
        } else if (resource === "token") {
          // The calling token's own identity: a token of another team sees its own team, a session is refused.
          expect({ ...seen, error: res.error?.data.code }).toEqual({ ...seen, error: caller.client.bearer ? undefined : "FORBIDDEN" });
          for (const id of victimIds) expect({ ...seen, leaks: body.includes(id) }).toEqual({ ...seen, leaks: false });
        } else if (OWN_DATA.has(path) && !caller.client.bearer) {
          expect({ ...seen, error: res.error?.data.code }).toEqual({ ...seen, error: undefined });
          for (const id of victimIds) expect({ ...seen, leaks: body.includes(id) }).toEqual({ ...seen, leaks: false });
        } else {
          const expected =
            ["team", "project", "service", "deployment", "release", "stack"].includes(resource ?? "") && !caller.client.bearer
              ? ["NOT_FOUND"]
              : ["NOT_FOUND", "FORBIDDEN"];
          expect({
            ...seen,
            code: expected.includes(res.error?.data.code ?? "none") ? "refused" : (res.error?.data.code ?? "accepted"),
          }).toEqual({
            ...seen,
            code: "refused",
          });
        }
        expect({ ...seen, unchanged: (await snapshot()) === before }).toEqual({ ...seen, unchanged: true });
      }
    }
    expect(calls).toBe(procedures.length * callers.length);
    // Every procedure times every caller, one after another: it grows with the router (about
    // 70 s on a busy 2-core machine), so it gets more than the file's default 90 s.
  }, 240_000);

  it("refuses every socket room of team A to every caller from outside it", async () => {
    const payloads: Record<string, unknown> = {
      service: { serviceId: victim.serviceId },
      deployment: { deploymentId: victim.deploymentId },
      team: { teamId: victim.teamId },
      instance: {},
    };
    const refusals: Record<string, string> = {
      service: "Service not found",
      deployment: "Service not found",
      team: "Team not found",
      instance: "Only the instance owner can do this",
    };
    for (const caller of callers) {
      const socket = connect(base, {
        path: "/socket.io",
        transports: ["websocket"],
        extraHeaders: caller.client.bearer ? { authorization: `Bearer ${caller.client.bearer}` } : { cookie: caller.client.cookie },
        reconnection: false,
      });
      sockets.push(socket);
      const connected = await new Promise<boolean>((resolve) => {
        socket.on("connect", () => resolve(true));
        socket.on("connect_error", () => resolve(false));
      });
      const seen = { caller: caller.name };
      if (caller.anonymous || caller.client.bearer) {
        expect({ ...seen, connected }).toEqual({ ...seen, connected: false });
        continue;
      }
      expect({ ...seen, connected }).toEqual({ ...seen, connected: true });
      for (const [event, resource] of Object.entries(ROOM_EVENTS)) {
        const ack = (await socket.timeout(5000).emitWithAck(event, payloads[resource])) as { ok: boolean; error?: string };
        expect({ ...seen, event, ok: ack.ok, error: ack.error }).toEqual({ ...seen, event, ok: false, error: refusals[resource] });
      }
    }
  });
});
