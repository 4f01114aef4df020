import { afterAll, beforeAll, expect, it } from "vitest";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import type { Server as SocketServer } from "socket.io";
import { seedService, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import type { DeploymentLogLine } from "../deployments/events.ts";
import { BuildLogSink } from "../deployments/log-sink.ts";

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

async function signedIn() {
  const client = new Client(base);
  expect((await client.signUp(`bl-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const me = await client.query("me.get");
  return { client, teamId: me.data.teams[0].id as string };
}

function socketFor(cookie: string): Socket {
  const socket = connect(base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  sockets.push(socket);
  return socket;
}

/** A viewer that collects build:lines of one deployment. */
function collector(socket: Socket, deploymentId: string) {
  const lines: DeploymentLogLine[] = [];
  const ends: { status: string; lastSeq: number }[] = [];
  socket.on("build:lines", (e: { deploymentId: string; lines: DeploymentLogLine[] }) => {
    if (e.deploymentId === deploymentId) lines.push(...e.lines);
  });
  socket.on("build:end", (e: { deploymentId: string; status: string; lastSeq: number }) => {
    if (e.deploymentId === deploymentId) ends.push(e);
  });
  const subscribe = (afterSeq: number) => socket.timeout(5000).emitWithAck("build:subscribe", { deploymentId, afterSeq });
  return { lines, ends, subscribe };
}

it("streams build lines live, resumes after a reconnect with no gap and no duplicate, serves finished logs, refuses strangers", async () => {
  const owner = await signedIn();
  const { serviceId } = await seedService(deps.db, owner.teamId);
  const deployment = await deps.db.deployment.create({ data: { serviceId, image: "", status: "building", startedAt: new Date() } });
  const sink = new BuildLogSink({ db: deps.db, log: deps.log, events: deps.events, deploymentId: deployment.id });
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) sink.write(i % 7 === 0 ? "stderr" : "stdout", `\u001b[32mstep\u001b[0m line ${i}`);
  };
  write(0, 500);
  await sink.flush();

  const first = socketFor(owner.client.cookie);
  const a = collector(first, deployment.id);
  expect(await a.subscribe(-1)).toEqual({ ok: true });
  write(500, 3000);
  await waitFor("the live lines", async () => a.lines.length >= 3000);
  expect(a.lines.map((l) => l.seq)).toEqual([...Array(3000).keys()]);
  expect(a.lines[7]).toMatchObject({ stream: "stderr", text: "\u001b[32mstep\u001b[0m line 7" });

  // Drop the connection mid-stream; lines keep coming; reconnect with the last seq seen.
  first.disconnect();
  const seen = a.lines.length;
  write(3000, 6000);
  await sink.flush();
  const again = socketFor(owner.client.cookie);
  const b = collector(again, deployment.id);
  const resumeFrom = a.lines[seen - 1]!.seq;
  expect(await b.subscribe(resumeFrom)).toEqual({ ok: true });
  write(6000, 8000);
  await waitFor("the resumed stream", async () => b.lines.length >= 8000 - seen);
  const joined = [...a.lines.slice(0, seen), ...b.lines].map((l) => l.seq);
  expect(joined).toEqual([...Array(8000).keys()]);

  // Finish: the stream ends with build:end after the last stored line.
  await sink.flush();
  await deps.db.deployment.update({ where: { id: deployment.id }, data: { status: "failed", finishedAt: new Date() } });
  deps.events.publishStatus({ deploymentId: deployment.id, serviceId, teamId: owner.teamId, status: "failed" });
  await waitFor("build:end", async () => b.ends.length > 0);
  expect(b.ends[0]).toMatchObject({ status: "failed", lastSeq: 7999 });

  // A finished log stays readable from the start.
  const later = collector(socketFor(owner.client.cookie), deployment.id);
  expect(await later.subscribe(-1)).toEqual({ ok: true });
  await waitFor("the whole finished log", async () => later.ends.length > 0);
  expect(later.lines.map((l) => l.seq)).toEqual([...Array(8000).keys()]);

  const stranger = await signedIn();
  const refused = collector(socketFor(stranger.client.cookie), deployment.id);
  expect(await refused.subscribe(-1)).toEqual({ ok: false, error: "Service not found" });
  expect(refused.lines).toEqual([]);
});
