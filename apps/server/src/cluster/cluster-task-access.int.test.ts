import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../test/engine-nodes.ts";
import { removeClusterFixture } from "../../test/cluster-cleanup.ts";
import { finishedDeployment } from "../../test/deploy-harness.ts";
import { engineCall } from "../../test/private-dockerd.ts";
import { EDGE_TEST_IMAGE, seedService, testDeps, TEST_IMAGE, waitFor } from "../../test/harness.ts";
import type { Client } from "../../test/http-harness.ts";
import { startHttp } from "../../test/http-harness.ts";
import { instanceOwnerAndMember, signUpClient } from "../../test/instance-clients.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { DeploymentWorker } from "../deployments/worker.ts";
import { MetricsBus } from "../metrics/bus.ts";
import { MetricsSampler } from "../metrics/sampler.ts";
import type { Actor } from "../teams/access.ts";
import { setServicePlacement } from "./service-placement.ts";
import { listServiceTasks } from "./service-tasks.ts";
import type { LogLinesPayload } from "../realtime/events.ts";
import { unpackLogLines } from "../realtime/log-lines-payload.ts";

/**
 * Runtime logs and the web terminal of cluster services, on a real two-node Swarm of harness
 * engines (test/engine-nodes.ts; the host's engine never enters swarm mode): a team's socket
 * gets the lines of both replicas, each naming its task and node, through the nodes' engines;
 * another team's socket is refused; a terminal runs a command in the task on the worker; a task
 * id that is not one of the service's running tasks is refused; a node Berth cannot reach is
 * said once in the stream while the other task's lines keep coming; the metrics sampler sums both
 * tasks' stats into the service's live points.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 200 });
let http: { server: Server; base: string };
let engines: EngineNodes;
let owner: Client;
let teamA: { client: Client; actor: Actor; teamId: string };
let teamB: { client: Client; actor: Actor; teamId: string };
const serverIds: Record<string, string> = {};
const serviceIds: string[] = [];
const sockets: Socket[] = [];
/** Team A's 2-replica cluster service, and team B's 1-replica one. */
let web = "";
let other = "";

const node = (i: number): EngineNode => engines.nodes[i]!;
const tls = (name: string, i: number) => ({ kind: "tls", name: `${name}-${tag}`, host: node(i).address, ...node(i).clientTls });

async function account(client: Client): Promise<{ client: Client; actor: Actor; teamId: string }> {
  const me = await client.query("me.get");
  return { client, actor: { userId: me.data.user.id, instanceRole: "user" }, teamId: me.data.teams[0].id };
}

async function clusterService(team: { actor: Actor; teamId: string }, replicas: number): Promise<string> {
  const { serviceId } = await seedService(deps.db, team.teamId);
  serviceIds.push(serviceId);
  await deps.db.service.update({ where: { id: serviceId }, data: { replicas } });
  await setServicePlacement(deps, team.actor, serviceId, { placement: "cluster", constraints: [] });
  const { deploymentId } = await enqueueDeployment(deps, team.actor, serviceId);
  const done = await finishedDeployment(deps, deploymentId, 240_000);
  expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
  return serviceId;
}

async function runningTasks(serviceId: string) {
  const view = await listServiceTasks(deps, teamA.actor, serviceId).catch(() => listServiceTasks(deps, teamB.actor, serviceId));
  expect(view.error).toBeNull();
  return view.tasks.filter((t) => t.desiredState === "running" && t.state === "running");
}

async function socketOf(client: Client): Promise<Socket> {
  const socket = connect(http.base, {
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
  return socket;
}

interface Line {
  text: string;
  task?: string;
  taskId?: string;
}

/** Subscribes to the service's runtime log; collects every line it gets. */
async function follow(socket: Socket, serviceId: string) {
  const lines: Line[] = [];
  const ends: string[] = [];
  socket.on("logs:lines", (e: LogLinesPayload) => {
    if (e.serviceId === serviceId) lines.push(...unpackLogLines(e));
  });
  socket.on("logs:end", (e: { reason: string }) => ends.push(e.reason));
  const ack = (await socket.timeout(30_000).emitWithAck("logs:subscribe", { serviceId })) as { ok: boolean; error?: string };
  return { ack, lines, ends };
}

beforeAll(async () => {
  [engines, http] = await Promise.all([startEngineNodes(2), startHttp(deps)]);
  const clients = await instanceOwnerAndMember(deps, http.base, tag);
  owner = clients.owner;
  teamA = await account(clients.member);
  teamB = await account(await signUpClient(http.base, `stranger-${tag}@example.test`));
  await Promise.all(engines.nodes.map((n) => n.loadImages([TEST_IMAGE, EDGE_TEST_IMAGE])));
  for (const [name, i] of [
    ["a", 0],
    ["b", 1],
  ] as const) {
    const added = await owner.mutate("servers.add", tls(name, i));
    expect(added.data).toMatchObject({ state: "reachable" });
    serverIds[name] = added.data.id;
  }
  expect((await owner.mutate("cluster.create", { serverId: serverIds.a })).status).toBe(200);
  expect((await owner.mutate("cluster.join", { serverId: serverIds.b, role: "worker" })).status).toBe(200);
  worker.start();
  [web, other] = await Promise.all([clusterService(teamA, 2), clusterService(teamB, 1)]);
}, 400_000);

afterAll(async () => {
  for (const s of sockets) s.close();
  await worker.stop();
  await removeClusterFixture(deps, { tag, serviceIds, http, engines });
  await deps.db.$disconnect();
});

describe("logs and terminal of cluster tasks", () => {
  it("a member's socket gets the lines of both replicas, each naming its task and node; another team's socket is refused", async () => {
    const tasks = await runningTasks(web);
    expect(tasks).toHaveLength(2);
    expect(new Set(tasks.map((t) => t.serverName))).toEqual(new Set([`a-${tag}`, `b-${tag}`]));

    const mine = await follow(await socketOf(teamA.client), web);
    expect(mine.ack).toEqual({ ok: true });
    // berth-test/hello prints "hello line N" every 0.5 s: both tasks' lines arrive, each tagged.
    await waitFor(
      "lines from both tasks",
      async () => new Set(mine.lines.filter((l) => /^hello line \d+$/.test(l.text)).map((l) => l.taskId)).size === 2,
      30_000,
    );
    const byTask = new Map(mine.lines.map((l) => [l.taskId, l.task]));
    for (const t of tasks) expect(byTask.get(t.id)).toBe(`#${t.slot} on ${t.serverName}`);
    expect(mine.ends).toEqual([]);

    const theirs = await follow(await socketOf(teamB.client), web);
    expect(theirs.ack).toMatchObject({ ok: false, error: expect.stringMatching(/not found/i) });
    await new Promise((r) => setTimeout(r, 1000));
    expect(theirs.lines).toEqual([]);

    // The REST/tRPC read: both tasks' lines, tagged, merged by time.
    const read = await teamA.client.query("services.logs", { serviceId: web, tail: 40 });
    expect(read.data.running).toBe(true);
    expect(new Set(read.data.lines.map((l: Line) => l.taskId))).toEqual(new Set(tasks.map((t) => t.id)));
    expect((await teamB.client.query("services.logs", { serviceId: web, tail: 40 })).status).toBe(404);
  }, 120_000);

  it("a terminal runs a command in the chosen task on the worker; a task that is not one of the service's is refused", async () => {
    // A task on the worker: under load one may have been replaced (a missed probe) and be starting again.
    const onWorker = await waitFor(
      "a running task on the worker",
      async () => (await runningTasks(web)).find((t) => t.serverName === `b-${tag}`),
      60_000,
    );
    const containerId = await node(1).engine.taskContainer(web, onWorker.id);
    expect(containerId).not.toBeNull();

    const socket = await socketOf(teamA.client);
    const open = (payload: Record<string, unknown>) =>
      socket.timeout(30_000).emitWithAck("terminal:open", { cols: 80, rows: 24, ...payload }) as Promise<{
        ok: boolean;
        terminalId?: string;
        error?: string;
      }>;
    const ack = await open({ serviceId: web, taskId: onWorker.id });
    expect(ack).toMatchObject({ ok: true });
    let output = "";
    socket.on("terminal:output", (e: { terminalId: string; data: string }) => {
      if (e.terminalId === ack.terminalId) output += e.data;
    });
    socket.emit("terminal:input", { terminalId: ack.terminalId, data: "echo berth-$((6*7)) $(hostname)\n" });
    // Swarm names a task container's host by the container id's first 12 characters.
    await waitFor("the command's output", async () => output.includes(`berth-42 ${containerId!.slice(0, 12)}`), 15_000);
    socket.emit("terminal:close", { terminalId: ack.terminalId });
    const audit = await deps.db.auditEvent.findFirst({ where: { action: "terminal.open", targetId: web } });
    expect(audit?.detail).toMatchObject({ taskId: onWorker.id, task: `#${onWorker.slot} on b-${tag}` });

    // Team B's own task, named with team A's service: not one of that service's tasks.
    const [foreign] = await runningTasks(other);
    expect(await open({ serviceId: web, taskId: foreign!.id })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/No running task/),
    });
    expect(await open({ serviceId: web, taskId: "0123456789abcdefghijklmno" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/No running task/),
    });
    // And team B's client cannot open team A's task at all.
    const stranger = await socketOf(teamB.client);
    const refused = await stranger.timeout(30_000).emitWithAck("terminal:open", { serviceId: web, taskId: onWorker.id });
    expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/not found/i) });
  }, 120_000);

  it("a node Berth cannot reach is said once in the stream; the other task's lines keep coming", async () => {
    const { onWorker, onManager } = await waitFor(
      "a running task on each node",
      async () => {
        const tasks = await runningTasks(web);
        const [onWorker, onManager] = [`b-${tag}`, `a-${tag}`].map((name) => tasks.find((t) => t.serverName === name));
        return onWorker && onManager ? { onWorker, onManager } : null;
      },
      60_000,
    );
    // The worker keeps running (and in the swarm); only Berth's way to its engine is broken.
    const { port } = await deps.db.server.findUniqueOrThrow({ where: { id: serverIds.b } });
    await deps.db.server.update({ where: { id: serverIds.b }, data: { port: 1 } });
    try {
      const mine = await follow(await socketOf(teamA.client), web);
      expect(mine.ack).toEqual({ ok: true });
      const fromManager = () => mine.lines.filter((l) => l.taskId === onManager.id && /^hello line/.test(l.text)).length;
      const before = await waitFor("lines of the manager's task", async () => fromManager() || null, 30_000);
      await waitFor("more lines of the manager's task", async () => fromManager() > before + 2, 30_000);
      const notices = mine.lines.filter((l) => l.taskId === onWorker.id);
      expect(notices).toEqual([
        expect.objectContaining({
          text: expect.stringMatching(new RegExp(`^\\[berth\\] b-${tag} does not answer: .*this task's lines are not shown$`)),
        }),
      ]);
      expect(mine.ends).toEqual([]);
    } finally {
      await deps.db.server.update({ where: { id: serverIds.b }, data: { port } });
    }
  }, 120_000);

  it("the metrics sampler publishes the service's points from both tasks' stats, through their nodes", async () => {
    const bus = new MetricsBus();
    const points: { teamId: string; memoryBytes: number; memoryLimitBytes: number }[] = [];
    bus.onService((e) => {
      if (e.serviceId === web) points.push({ teamId: e.teamId, ...e.point });
    });
    const sampler = new MetricsSampler(deps, bus, { tickMs: 250, persistEveryMs: 600_000 });
    sampler.start();
    try {
      await waitFor("a point with memory in use", async () => points.some((p) => p.memoryBytes > 0), 30_000);
      // Both tasks are summed: the point's memory limit is the sum of the two task containers' limits.
      const limits = await Promise.all(
        (await runningTasks(web)).map(async (t) => {
          const n = t.serverName === `a-${tag}` ? node(0) : node(1);
          const containerId = await n.engine.taskContainer(web, t.id);
          return (
            JSON.parse(await engineCall(n.socketPath, "GET", `/containers/${containerId}/json`)) as { HostConfig: { Memory: number } }
          ).HostConfig.Memory;
        }),
      );
      expect(limits.every((l) => l > 0)).toBe(true);
      await waitFor("a point summing both tasks", async () => points.some((p) => p.memoryLimitBytes === limits[0]! + limits[1]!), 10_000);
    } finally {
      await sampler.stop();
    }
    expect(new Set(points.map((p) => p.teamId))).toEqual(new Set([teamA.teamId]));
  }, 60_000);
});
