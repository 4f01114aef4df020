import { afterAll, beforeAll, expect, it } from "vitest";
import type { Server } from "node:http";
import { randomUUID } from "node:crypto";
import { io as connect, type Socket } from "socket.io-client";
import type { Server as SocketServer } from "socket.io";
import { requireTestImage, seedService, TEST_IMAGE, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { DeploymentWorker } from "../deployments/worker.ts";
import type { DockerEngine } from "@berth/engine";
import type { LogLinesPayload } from "./events.ts";
import { unpackLogLines } from "./log-lines-payload.ts";

const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 200 });
let server: Server;
let io: SocketServer;
let base: string;
const sockets: Socket[] = [];
const services: string[] = [];

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
  worker.start();
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await worker.stop();
  for (const id of services) await deps.engine.removeService(id);
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

async function signedIn(): Promise<{ client: Client; userId: string; teamId: string }> {
  const client = new Client(base);
  const res = await client.signUp(`rt-${randomUUID().slice(0, 8)}@example.test`);
  expect(res.status).toBe(200);
  const me = await client.query("me.get");
  return { client, userId: me.data.user.id, teamId: me.data.teams[0].id };
}

function socketFor(cookie: string): Socket {
  const socket = connect(base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  sockets.push(socket);
  return socket;
}

/** The service deployed by its owner, and running. */
async function deployed(userId: string, serviceId: string): Promise<void> {
  const { deploymentId } = await enqueueDeployment(deps, { userId, instanceRole: "user" }, serviceId);
  await waitFor(
    "running",
    async () => (await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } })).status === "succeeded",
    60_000,
  );
}

function subscribe(socket: Socket, serviceId: string): Promise<{ ok: boolean; error?: string }> {
  return socket.timeout(5000).emitWithAck("logs:subscribe", { serviceId });
}

it("streams a running container's new log lines live to a member, and refuses others", async () => {
  const owner = await signedIn();
  const { serviceId } = await seedService(deps.db, owner.teamId);
  services.push(serviceId);
  await deployed(owner.userId, serviceId);

  const socket = socketFor(owner.client.cookie);
  const ends: string[] = [];
  socket.on("logs:end", (e: { reason: string }) => ends.push(e.reason));
  const lines: { text: string; stream: string }[] = [];
  socket.on("logs:lines", (e: LogLinesPayload) => {
    if (e.serviceId === serviceId) for (const l of unpackLogLines(e)) lines.push({ text: l.text, stream: l.stream });
  });
  expect(await subscribe(socket, serviceId)).toEqual({ ok: true });

  const numbers = () => lines.filter((l) => l.stream === "stdout").map((l) => Number(/hello line (\d+)/.exec(l.text)?.[1] ?? NaN));
  const firstMax = await waitFor("first lines", async () => Math.max(...numbers().filter(Number.isFinite)) || null, 10_000);
  // Counted, not timed: a batch right after this point can arrive within the same millisecond.
  const seenBefore = lines.length;
  await waitFor("a newer line", async () => numbers().some((n) => n > firstMax + 1), 5_000);
  expect(lines.length).toBeGreaterThan(seenBefore);
  // Lines arrive in order.
  const seq = numbers().filter(Number.isFinite);
  expect([...seq].sort((a, b) => a - b)).toEqual(seq);
  // stdout and stderr arrive separated (the image echoes every 5th line to stderr).
  await waitFor("a stderr line", async () => lines.some((l) => l.stream === "stderr"), 6_000);

  // Re-subscribing replaces the follower without a false "logs:end" while the container runs.
  expect(await subscribe(socket, serviceId)).toEqual({ ok: true });
  expect(await subscribe(socket, serviceId)).toEqual({ ok: true });
  const before = lines.length;
  await waitFor("lines after re-subscribing", async () => lines.length > before + 2, 5_000);
  expect(ends).toEqual([]);

  // Another signed-in user (other team) is refused; an anonymous socket cannot connect.
  const stranger = await signedIn();
  const strangerSocket = socketFor(stranger.client.cookie);
  expect(await subscribe(strangerSocket, serviceId)).toEqual({ ok: false, error: "Service not found" });
  const anonymous = socketFor("");
  const refused = await new Promise<string>((resolve) => anonymous.on("connect_error", (e) => resolve(e.message)));
  expect(refused).toMatch(/Sign in/);
});

it("a quiet container's history reaches a new follower at once: no later line is needed to end the read", async () => {
  const owner = await signedIn();
  const projectId = (await owner.client.mutate("projects.create", { teamId: owner.teamId, name: `quiet-${randomUUID().slice(0, 6)}` })).data
    .id as string;
  const created = await owner.client.mutate("services.create", {
    projectId,
    name: `quiet-${randomUUID().slice(0, 6)}`,
    image: TEST_IMAGE,
    containerPort: 8080,
    env: [],
    // Two lines, then a web server that prints nothing.
    entrypoint: "/bin/sh",
    command: "-c 'echo quiet one; echo quiet two; exec httpd -f -p 8080 -h /'",
  });
  expect(created.status).toBe(200);
  const serviceId = created.data.id as string;
  services.push(serviceId);
  await deployed(owner.userId, serviceId);

  const socket = socketFor(owner.client.cookie);
  const lines: { text: string; stream: string }[] = [];
  socket.on("logs:lines", (e: LogLinesPayload) => {
    if (e.serviceId === serviceId) lines.push(...unpackLogLines(e).map((l) => ({ text: l.text, stream: l.stream })));
  });
  expect(await subscribe(socket, serviceId)).toEqual({ ok: true });
  await waitFor("the history", async () => lines.length >= 2, 5_000);
  expect(lines).toEqual([
    { text: "quiet one", stream: "stdout" },
    { text: "quiet two", stream: "stdout" },
  ]);
});
