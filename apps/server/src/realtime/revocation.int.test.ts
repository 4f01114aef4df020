import { afterAll, beforeAll, expect, it } from "vitest";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import type { Server as SocketServer } from "socket.io";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { DeploymentWorker } from "../deployments/worker.ts";

/** Open log streams end within 5 s of losing access: member removed, session revoked. */
const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 200 });
deps.wakeWorker = worker.wake;
let server: Server;
let io: SocketServer;
let base: string;
const sockets: Socket[] = [];
let serviceId = "";
let teamId = "";
let owner: Client;

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
  worker.start();
  owner = new Client(base);
  expect((await owner.signUp(`rv-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const me = await owner.query("me.get");
  teamId = me.data.teams[0].id;
  ({ serviceId } = await seedService(deps.db, teamId));
  const { deploymentId } = await enqueueDeployment(deps, { userId: me.data.user.id, instanceRole: "user" }, serviceId);
  await waitFor("running", async () => (await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } })).status === "succeeded", 60_000);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await worker.stop();
  await deps.engine.removeService(serviceId);
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

async function memberStreaming(): Promise<{ client: Client; userId: string; socket: Socket; lines: () => number; ended: Promise<number>; disconnected: Promise<number> }> {
  const client = new Client(base);
  expect((await client.signUp(`rvm-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const userId = (await client.query("me.get")).data.user.id as string;
  await deps.db.membership.create({ data: { teamId, userId, role: "member" } });
  const socket = connect(base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie: client.cookie }, reconnection: false });
  sockets.push(socket);
  let count = 0;
  socket.on("logs:lines", (e: { lines: unknown[] }) => (count += e.lines.length));
  const ended = new Promise<number>((resolve) => socket.on("logs:end", () => resolve(Date.now())));
  const disconnected = new Promise<number>((resolve) => socket.on("disconnect", () => resolve(Date.now())));
  expect(await socket.timeout(5000).emitWithAck("logs:subscribe", { serviceId })).toEqual({ ok: true });
  await waitFor("live lines", async () => count > 0, 10_000);
  return { client, userId, socket, lines: () => count, ended, disconnected };
}

it("a removed member's open log stream ends within 5 s and no line follows", async () => {
  const m = await memberStreaming();
  const removedAt = Date.now();
  expect((await owner.mutate("teams.removeMember", { teamId, userId: m.userId })).data).toEqual({ ok: true });
  const endedAt = await Promise.race([m.ended, new Promise<number>((r) => setTimeout(() => r(-1), 6000))]);
  expect(endedAt).toBeGreaterThan(0);
  expect(endedAt - removedAt).toBeLessThan(5000);
  const after = m.lines();
  await new Promise((r) => setTimeout(r, 1500)); // the image prints a line every 0.5 s
  expect(m.lines()).toBe(after);
  expect(await m.socket.timeout(5000).emitWithAck("logs:subscribe", { serviceId })).toEqual({ ok: false, error: "Service not found" });
});

it("revoking a session disconnects its sockets within 5 s", async () => {
  const m = await memberStreaming();
  const sessions = await m.client.query("me.sessions");
  const current = (sessions.data as { id: string; current: boolean }[]).find((s) => s.current);
  expect(current).toBeDefined();
  const revokedAt = Date.now();
  // Revoked from another device of the same user would do the same; here the session itself asks.
  expect((await m.client.mutate("me.revokeSession", { sessionId: current!.id })).data).toEqual({ ok: true });
  const goneAt = await Promise.race([m.disconnected, new Promise<number>((r) => setTimeout(() => r(-1), 6000))]);
  expect(goneAt).toBeGreaterThan(0);
  expect(goneAt - revokedAt).toBeLessThan(5000);
  expect((await m.client.query("me.get")).error?.data.code).toBe("UNAUTHORIZED");
});
