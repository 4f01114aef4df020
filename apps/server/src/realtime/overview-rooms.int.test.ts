import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { io as connect, type Socket } from "socket.io-client";
import type { Server as SocketServer } from "socket.io";
import { seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import type { MetricPoint } from "../metrics/aggregate.ts";
import { MetricsBus } from "../metrics/bus.ts";

/** Live overview changes and metrics samples reach only the rooms' authorized viewers, and stop when access ends. */
const deps = testDeps();
const bus = new MetricsBus();
deps.metrics = bus;
let server: Server;
let io: SocketServer;
let base: string;
const sockets: Socket[] = [];
const point: MetricPoint = {
  time: new Date().toISOString(),
  cpuPercent: 12.5,
  memoryBytes: 1000,
  memoryLimitBytes: 4000,
  rxBytesPerSec: 1,
  txBytesPerSec: 2,
  restartCount: 0,
};

beforeAll(async () => {
  await seedUser(deps.db);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps, { rateLimit: false }, { revalidateMs: 200 }));
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

async function member(teamId: string | null) {
  const client = new Client(base);
  expect((await client.signUp(`ov-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const me = await client.query("me.get");
  const userId = me.data.user.id as string;
  if (teamId) await deps.db.membership.create({ data: { teamId, userId, role: "viewer" } });
  const socket = connect(base, {
    path: "/socket.io",
    transports: ["websocket"],
    extraHeaders: { cookie: client.cookie },
    reconnection: false,
  });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.on("connect", resolve);
    socket.on("connect_error", reject);
  });
  return { userId, socket, ownTeamId: me.data.teams[0].id as string };
}

describe("overview and metrics rooms", () => {
  it("a viewer gets its service's samples and its team's changes; access removed -> nothing more", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    const viewer = await member(teamId);
    const samples: MetricPoint[] = [];
    const changes: string[] = [];
    viewer.socket.on(
      "metrics:sample",
      (e: { serviceId: string; point: MetricPoint }) => e.serviceId === serviceId && samples.push(e.point),
    );
    viewer.socket.on("overview:changed", (e: { serviceId: string }) => changes.push(e.serviceId));
    const ended = new Promise<{ room: string }>((resolve) => viewer.socket.on("watch:end", resolve));
    expect(await viewer.socket.timeout(5000).emitWithAck("metrics:watch", { serviceId })).toEqual({ ok: true });
    expect(await viewer.socket.timeout(5000).emitWithAck("overview:watch", { teamId })).toEqual({ ok: true });

    bus.publishService({ serviceId, teamId, point });
    deps.events.publishStatus({ deploymentId: randomUUID(), serviceId, teamId, status: "building" });
    await waitFor("a live sample", async () => samples.length === 1, 5_000);
    await waitFor("an overview change", async () => changes.includes(serviceId), 5_000);
    expect(samples[0]).toEqual(point);

    await deps.db.membership.delete({ where: { teamId_userId: { teamId, userId: viewer.userId } } });
    await ended;
    await new Promise((r) => setTimeout(r, 500));
    bus.publishService({ serviceId, teamId, point });
    deps.events.publishStatus({ deploymentId: randomUUID(), serviceId, teamId, status: "failed" });
    await new Promise((r) => setTimeout(r, 300));
    expect(samples).toHaveLength(1);
    expect(changes).toHaveLength(1);
  });

  it("host samples only for the instance owner; bad payloads are refused with a reason", async () => {
    const user = await member(null);
    expect(await user.socket.timeout(5000).emitWithAck("host:watch", {})).toEqual({
      ok: false,
      error: "Only the instance owner can do this",
    });
    expect(await user.socket.timeout(5000).emitWithAck("metrics:watch", { serviceId: "nope" })).toEqual({
      ok: false,
      error: "serviceId must be a service id",
    });
    expect(await user.socket.timeout(5000).emitWithAck("overview:watch", { teamId: user.ownTeamId })).toEqual({ ok: true });
  });
});
