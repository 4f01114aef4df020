import { afterAll, beforeAll, expect, it } from "vitest";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import type { Server as SocketServer } from "socket.io";
import { seedService, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import type { DeploymentLogLine, DeploymentStatusEvent } from "../deployments/events.ts";
import { BuildLogSink } from "../deployments/log-sink.ts";
import { PgDeploymentEvents } from "../deployments/pg-events.ts";

// Two processes' worth of wiring on one database: the web side (socket.io viewers) and the
// worker side, each with its own Postgres pool and its own event bus.
const web = testDeps();
const worker = testDeps();
const databaseUrl = web.env.DATABASE_URL;
const webEvents = new PgDeploymentEvents({ db: web.db, log: web.log, databaseUrl });
const workerEvents = new PgDeploymentEvents({ db: worker.db, log: worker.log, databaseUrl });
web.events = webEvents;
worker.events = workerEvents;
let server: Server;
let io: SocketServer;
let base: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  webEvents.start();
  await web.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(web));
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await io.close();
  server.close();
  await webEvents.close();
  await workerEvents.close();
  await web.db.$disconnect();
  await worker.db.$disconnect();
});

function socketFor(cookie: string): Socket {
  const socket = connect(base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  sockets.push(socket);
  return socket;
}

it("a worker in another process streams build lines and statuses to viewers live, gap-free across a resume", async () => {
  const client = new Client(base);
  expect((await client.signUp(`xp-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const teamId = (await client.query("me.get")).data.teams[0].id as string;
  const { serviceId } = await seedService(web.db, teamId);
  const deployment = await web.db.deployment.create({ data: { serviceId, image: "", status: "building", startedAt: new Date() } });
  const sink = new BuildLogSink({ db: worker.db, log: worker.log, events: worker.events, deploymentId: deployment.id });
  const write = (from: number, to: number) => {
    for (let i = from; i < to; i++) sink.write("stdout", `line ${i}`);
  };

  // The worker's own process still sees its lines exactly once (its own notifications are ignored).
  const local: number[] = [];
  const offLocal = workerEvents.onLines(deployment.id, (lines) => local.push(...lines.map((l) => l.seq)));

  const statuses: DeploymentStatusEvent[] = [];
  const ends: { status: string; lastSeq: number }[] = [];
  /** A viewer socket: its lines into `into`; statuses and ends shared. */
  const viewer = async (into: DeploymentLogLine[]) => {
    const socket = socketFor(client.cookie);
    socket.on("build:lines", (e: { deploymentId: string; lines: DeploymentLogLine[] }) => {
      if (e.deploymentId === deployment.id) into.push(...e.lines);
    });
    socket.on("build:end", (e: { deploymentId: string; status: string; lastSeq: number }) => {
      if (e.deploymentId === deployment.id) ends.push(e);
    });
    socket.on("deployment:status", (e: DeploymentStatusEvent) => {
      if (e.deploymentId === deployment.id) statuses.push(e);
    });
    expect(await socket.timeout(5000).emitWithAck("deployments:watch", { serviceId })).toEqual({ ok: true });
    return socket;
  };
  const lines: DeploymentLogLine[] = [];
  const socket = await viewer(lines);
  write(0, 200);
  await sink.flush();
  expect(await socket.timeout(5000).emitWithAck("build:subscribe", { deploymentId: deployment.id, afterSeq: -1 })).toEqual({ ok: true });

  // Live: these lines exist only in the worker's process and the database.
  write(200, 5000);
  await waitFor("the live lines from the other process", async () => lines.length >= 5000, 15_000);
  expect(lines.map((l) => l.seq)).toEqual([...Array(5000).keys()]);
  expect(lines[4999]).toMatchObject({ text: "line 4999", stream: "stdout" });

  // Drop the viewer mid-stream and resume from its last seq on a new socket.
  socket.disconnect();
  write(5000, 7000);
  const resumed: DeploymentLogLine[] = [];
  const again = await viewer(resumed);
  expect(
    await again.timeout(5000).emitWithAck("build:subscribe", { deploymentId: deployment.id, afterSeq: lines[lines.length - 1]!.seq }),
  ).toEqual({ ok: true });
  write(7000, 9000);
  await sink.flush();

  // The worker finishes the deployment: the status reaches the viewer, then build:end.
  await worker.db.deployment.update({ where: { id: deployment.id }, data: { status: "succeeded", finishedAt: new Date() } });
  worker.events.publishStatus({ deploymentId: deployment.id, serviceId, teamId, status: "succeeded" });
  await waitFor("build:end", async () => ends.length > 0, 15_000);
  expect([...lines, ...resumed].map((l) => l.seq)).toEqual([...Array(9000).keys()]);
  expect(ends[0]).toMatchObject({ status: "succeeded", lastSeq: 8999 });
  expect(statuses).toEqual([{ deploymentId: deployment.id, serviceId, status: "succeeded" }]);
  expect(local).toEqual([...Array(9000).keys()]);
  offLocal();
}, 60_000);
