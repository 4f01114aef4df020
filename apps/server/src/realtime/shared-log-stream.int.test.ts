import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { Server as SocketServer } from "socket.io";
import { io as connect, type Socket } from "socket.io-client";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { runReleaseDirectly } from "../../test/running-service.ts";
import type { LogLinesPayload } from "./events.ts";
import { unpackLogLines } from "./log-lines-payload.ts";
import { ServiceLogHub, type ServiceLogLine } from "../services/log-hub.ts";

/**
 * Followers of one container share one engine log stream: two viewers joining at different
 * moments of a fast numbered log each get their history and then the live lines, no gap and no
 * duplicate where the two meet; the engine stream (counted at the engine's own followLogs) is
 * one while both follow, stays while one remains, and is closed when the last leaves. A long
 * history comes whole and in order, in several pieces. The service's secrets are read once per
 * stream, not per viewer.
 */
const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
let projectId = "";
let serviceId = "";
let containerId = "";
/** Every release the tests ran, removed at the end. */
const ran: { projectId: string; serviceId: string }[] = [];
const sockets: Socket[] = [];
/** The container's live engine log streams (history reads are bounded by `until` and not counted). */
const engineStreams = { opened: 0, closed: 0 };

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  const followLogs = deps.engine.followLogs.bind(deps.engine);
  deps.engine.followLogs = async (id, opts, onLine, onEnd) => {
    const live = id === containerId && opts.until === undefined;
    const stop = await followLogs(id, opts, onLine, (err) => {
      if (live) engineStreams.closed += 1;
      onEnd?.(err);
    });
    if (live) engineStreams.opened += 1;
    return stop;
  };
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  ({ server, base, io } = await startHttp(deps));
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await io.close();
  server.close();
  for (const r of ran) {
    await deps.engine.removeService(r.serviceId);
    await deps.engine.pruneNetworks({ projectId: r.projectId }).catch(() => undefined);
  }
  await deps.db.$disconnect();
});

/** A socket following the service; every line number it receives, in order, and its batches' sizes. */
async function follower(cookie: string, since?: number) {
  const socket = connect(base, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie }, reconnection: false });
  sockets.push(socket);
  const numbers: number[] = [];
  const batches: number[] = [];
  socket.on("logs:lines", (e: LogLinesPayload) => {
    if (e.serviceId !== serviceId) return;
    batches.push(e.text.length);
    for (const l of unpackLogLines(e)) numbers.push(Number(/^line (\d+)$/.exec(l.text)?.[1] ?? Number.NaN));
  });
  expect(await socket.timeout(10_000).emitWithAck("logs:subscribe", since === undefined ? { serviceId } : { serviceId, since })).toEqual({
    ok: true,
  });
  return { socket, numbers, batches };
}

/** Each number once, in order, nothing between missing. */
function expectContiguous(numbers: number[], first?: number) {
  expect(numbers.length).toBeGreaterThan(0);
  const start = first ?? numbers[0]!;
  const gaps = numbers.filter((n, k) => n !== start + k);
  expect(gaps.slice(0, 5), `first ${start}, ${numbers.length} lines`).toEqual([]);
}

it("two followers share one engine stream: each gets its history then the live lines, no gap, no duplicate", async () => {
  const client = new Client(base);
  expect((await client.signUp(`shared-logs-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const teamId = (await client.query("me.get")).data.teams[0].id as string;
  const startedAt = Math.floor(Date.now() / 1000) - 1;
  // Numbered lines, hundreds a second: lines are written while each follower joins.
  const script = 'httpd -p 8080 -h /; i=0; while :; do i=$((i+1)); echo "line $i"; usleep 2000; done';
  ({ projectId, serviceId, containerId } = await runReleaseDirectly(deps, { teamId, entrypoint: ["/bin/sh", "-c", script] }));
  ran.push({ projectId, serviceId });

  // A: everything since the start. B joins later with the default history (the last 200 lines).
  const a = await follower(client.cookie, startedAt);
  await waitFor("a few hundred lines at A", async () => a.numbers.length >= 400, 30_000);
  const b = await follower(client.cookie);
  const joinedAt = a.numbers.length;
  await waitFor("live lines at both", async () => a.numbers.length >= joinedAt + 300 && b.numbers.length >= 500, 30_000);
  expect(engineStreams).toEqual({ opened: 1, closed: 0 });
  expectContiguous(a.numbers, 1);
  // B's history: the last 200 lines as the engine read them (a few fewer when lines written
  // during the read fall after its `until`: those come live); it starts well after line 1.
  expect(b.batches[0]).toBeGreaterThan(100);
  expect(b.batches[0]).toBeLessThanOrEqual(200);
  expect(b.numbers[0]).toBeGreaterThan(200);
  expectContiguous(b.numbers);

  // A leaves (the ack of a later request proves the server handled it): B goes on alone.
  a.socket.emit("logs:unsubscribe", { serviceId });
  expect(await a.socket.timeout(10_000).emitWithAck("deployments:watch", { serviceId })).toEqual({ ok: true });
  const aLeftWith = a.numbers.length;
  const bHad = b.numbers.length;
  await waitFor("B's lines after A left", async () => b.numbers.length >= bHad + 300, 30_000);
  expect(a.numbers.length).toBe(aLeftWith);
  expectContiguous(b.numbers);
  expect(engineStreams).toEqual({ opened: 1, closed: 0 });

  // The last follower leaves: the engine stream is closed.
  b.socket.emit("logs:unsubscribe", { serviceId });
  await waitFor("the engine stream closed", async () => engineStreams.closed === 1, 10_000);
  expect(engineStreams).toEqual({ opened: 1, closed: 1 });
});

it("sends a history longer than one engine piece whole and in order, in several messages", async () => {
  const client = new Client(base);
  expect((await client.signUp(`long-history-${randomUUID().slice(0, 8)}@example.test`)).status).toBe(200);
  const teamId = (await client.query("me.get")).data.teams[0].id as string;
  const startedAt = Math.floor(Date.now() / 1000) - 1;
  const script = 'httpd -p 8080 -h /; i=0; while [ $i -lt 2500 ]; do i=$((i+1)); echo "line $i"; done; exec sleep 3600';
  ({ projectId, serviceId, containerId } = await runReleaseDirectly(deps, { teamId, entrypoint: ["/bin/sh", "-c", script] }));
  ran.push({ projectId, serviceId });
  await waitFor(
    "the 2,500 lines written",
    async () => ((await deps.engine.readLogs(containerId, { tail: 1 }))[0]?.text === "line 2500" ? true : null),
    30_000,
  );
  const viewer = await follower(client.cookie, startedAt);
  await waitFor("the whole history", async () => viewer.numbers.length >= 2500, 30_000);
  expectContiguous(viewer.numbers, 1);
  expect(viewer.numbers).toHaveLength(2500);
  // Sent as the engine's answer arrived (pieces of at most 1,000), not as one message.
  expect(viewer.batches.length).toBeGreaterThanOrEqual(3);
  expect(Math.max(...viewer.batches)).toBeLessThanOrEqual(1000);
  viewer.socket.emit("logs:unsubscribe", { serviceId });
});

it("loads the service's secrets once per engine stream, not once per viewer joining it", async () => {
  const { teamId } = await seedUser(deps.db);
  const script = 'httpd -p 8080 -h /; echo "token hush-${RANDOM}-k"; exec sleep 3600';
  ({ projectId, serviceId, containerId } = await runReleaseDirectly(deps, { teamId, entrypoint: ["/bin/sh", "-c", script] }));
  ran.push({ projectId, serviceId });
  await deps.db.envVar.create({
    data: { projectId, serviceId, scopeKey: serviceId, name: "TOKEN", value: deps.box.seal("hush"), secret: true },
  });
  // Unsealing counted: one secret, so one unseal per load of the service's secrets.
  let unsealed = 0;
  const box = Object.create(deps.box) as typeof deps.box;
  box.open = (sealed: string) => (unsealed++, deps.box.open(sealed));
  const hub = new ServiceLogHub({ ...deps, box }, () => undefined);
  const service = { id: serviceId, projectId, placement: "server", serverId: null };
  const viewer = () => {
    const got: string[] = [];
    const follower = {
      lines: (lines: ServiceLogLine[]) => got.push(...lines.map((l) => l.text)),
      live: () => undefined,
      end: () => undefined,
    };
    return { got, follower };
  };
  const first = viewer();
  const second = viewer();
  const stops = [await hub.follow(service, {}, first.follower), await hub.follow(service, {}, second.follower)];
  await waitFor("both histories", async () => first.got.length > 0 && second.got.length > 0, 10_000);
  // Both redacted with the stream's secrets, loaded once (twice on the old code).
  expect([...first.got, ...second.got].filter((t) => t.includes("hush"))).toEqual([]);
  expect(unsealed).toBe(1);
  for (const stop of stops) stop?.();
});
