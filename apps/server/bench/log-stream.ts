/**
 * Benchmarks (b) and (c): runtime logs from a container to a socket.io client through Berth
 * (engine follow -> gateway -> socket.io), each next to a raw baseline in the same run.
 *  (b) a container prints 100k lines at once, followed live: Berth's delivery rate (first to
 *      last line at the client) vs following a twin container's same burst with the Engine API
 *      (`docker logs -f`); every line must arrive, in order.
 *  (b') the same lines read afterwards: a viewer opening the log since the container started
 *      (its history through socket.io) vs one read of the log with the Engine API asking what
 *      Berth asks for that history (`docker logs --since T --until now --tail 100000`: the tail
 *      alone costs the engine ~15 ms before its first line, a scan of the file from its end).
 *  (c) a container prints ~1k lines/s: latency from the engine's timestamp to the client,
 *      through Berth vs a raw Engine API follow (`docker logs -f`).
 * The socket.io client runs in a process of its own (bench/log-receiver.ts), as a viewer's
 * browser does, and each raw baseline decodes in this one: neither side's figure carries the
 * other's decoding. Next to each rate: the CPU time each side spent besides the engine (on a
 * 2-core machine the engine, Berth and the viewer share the cores, so that decides the rate), and
 * the engine's own (dockerd's, when its /proc entry is readable: a live flood keeps it busy more
 * than one core, writing each line to its log file and reading it back for the follower).
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/log-stream.ts [rounds, default 10]
 */
import { randomUUID } from "node:crypto";
import { PassThrough } from "node:stream";
import Docker from "dockerode";
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { DockerEngine } from "@berth/engine";
import { requireTestImage, TEST_IMAGE, testDeps } from "../test/harness.ts";
import { Client, startHttp } from "../test/http-harness.ts";
import { cpuMsSince, median, percentile, withEngineCpu } from "./bench-util.ts";
import type { Delivery, ReceiverAsk } from "./log-receiver.ts";

const LINES = 100_000;
/** berth-test/hello with a shell entrypoint, so the release's command is a script. */
const BENCH_IMAGE = "berth-bench/logs:latest";
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });
const deps = testDeps();

async function startContainer(owner: { teamId: string; projectId: string; serviceId: string }, script: string) {
  return deps.engine.runRelease({
    owner,
    deploymentId: randomUUID(),
    serviceName: "bench-logs",
    image: BENCH_IMAGE,
    containerPort: 8080,
    env: {},
    command: [`httpd -p 8080 -h / ; ${script}`],
  });
}

/** The viewer in its own process (bench/log-receiver.ts), asked over IPC. */
interface Receiver {
  ask<T>(ask: ReceiverAsk): Promise<T>;
  close(): void;
}

async function startReceiver(base: string, cookie: string): Promise<Receiver> {
  const child = fork(fileURLToPath(new URL("./log-receiver.ts", import.meta.url)), [], { execArgv: ["--import", "tsx"] });
  const receiver: Receiver = {
    ask: <T>(ask: ReceiverAsk) =>
      new Promise<T>((resolve, reject) => {
        child.once("message", (m: { result?: T; error?: string }) =>
          m.error === undefined ? resolve(m.result as T) : reject(new Error(m.error)),
        );
        child.send(ask);
      }),
    close: () => child.disconnect(),
  };
  // The session cookie goes over IPC, never in the child's arguments (readable by any user of the host).
  await receiver.ask({ op: "connect", base, cookie });
  return receiver;
}

const perSec = (perSecond: number) => Math.round(perSecond).toLocaleString();

/** One read of a container's log (`docker logs --since --until --tail`), decoded. */
async function rawLogsMs(containerId: string, since: number): Promise<{ ms: number; lines: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const query = { since, until: Date.now() / 1000, tail: LINES };
  const buffer = (await docker
    .getContainer(containerId)
    .logs({ stdout: true, stderr: true, follow: false, timestamps: true, ...query })) as Buffer;
  // Multiplexed frames: 8-byte header (stream, 0, 0, 0, size BE), then payload.
  let lines = 0;
  for (let offset = 0; offset + 8 <= buffer.length;) {
    const size = buffer.readUInt32BE(offset + 4);
    const payload = buffer.subarray(offset + 8, offset + 8 + size);
    for (const byte of payload) if (byte === 10) lines += 1;
    offset += 8 + size;
  }
  return { ms: performance.now() - started, lines, cpuMs: cpuMsSince(cpu) };
}

/** Follow a container's log from its start (`docker logs -f`) until LINES numbered lines came: first to last. */
async function rawFollowMs(containerId: string): Promise<{ ms: number; lines: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const stream = await docker.getContainer(containerId).logs({ stdout: true, stderr: true, follow: true, timestamps: true });
  const out = new PassThrough();
  docker.modem.demuxStream(stream, out, out);
  let lines = 0;
  let first = 0;
  let last = 0;
  let rest = "";
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 120_000);
    out.on("data", (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) {
        if (!/ \d+$/.test(p)) continue;
        if (lines === 0) first = Date.now();
        lines += 1;
        last = Date.now();
      }
      if (lines >= LINES) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  (stream as unknown as { destroy(): void }).destroy();
  return { ms: last - first, lines, cpuMs: cpuMsSince(cpu) };
}

/** Rounds of (b) and (b'): one burst's figure varies by 10-20% with load, the median of 10 by a few %. */
const ROUNDS = Math.max(1, Number(process.argv[2] ?? 10));

interface BurstRound {
  live: Delivery;
  /** CPU time Berth's server (this process, doing nothing else meanwhile) spent on the live burst. */
  serverCpuMs: number;
  rawFollowMs: number;
  /** CPU time the raw follow's client spent reading and decoding the twin's burst. */
  rawCpuMs: number;
  history: Delivery;
  historyServerCpuMs: number;
  rawReadMs: number;
  rawReadCpuMs: number;
  /** The engine's CPU time during each of the four (null when it cannot be read). */
  engineMs: { live: number | null; rawFollow: number | null; history: number | null; rawRead: number | null };
}

/**
 * One burst of LINES lines: Berth follows a container as it prints them (live), then the raw
 * baseline follows a twin container's same burst alone (two bursts at once would share the CPU);
 * then a viewer opens the first container's log since it started (its history) next to one raw
 * read (the raw read first in even rounds, second in odd ones).
 */
async function burstRound(
  viewer: Receiver,
  owner: { teamId: string; projectId: string; serviceId: string },
  round: number,
): Promise<BurstRound> {
  const since = Math.floor(Date.now() / 1000) - 1;
  const bulk = await startContainer(owner, `sleep 2; seq 1 ${LINES}; sleep 600`);
  const cpu = process.cpuUsage();
  const live = await withEngineCpu(() => viewer.ask<Delivery>({ op: "burst", serviceId: owner.serviceId, lines: LINES }));
  const serverCpuMs = cpuMsSince(cpu);
  const twin = await docker.createContainer({
    Image: BENCH_IMAGE,
    Cmd: [`sleep 2; seq 1 ${LINES}; sleep 600`],
    Labels: { "io.berth.bench": "log-stream" },
  });
  await twin.start();
  const follow = await withEngineCpu(() => rawFollowMs(twin.id));
  await twin.remove({ force: true });
  // Which read goes first alternates by round: the second read of the same log may find the
  // engine in another state (its collector after the first read's garbage), favouring neither.
  const readRaw = () => withEngineCpu(() => rawLogsMs(bulk.containerId, since));
  const rawFirst = round % 2 === 0 ? await readRaw() : null;
  const historyCpu = process.cpuUsage();
  const history = await withEngineCpu(() => viewer.ask<Delivery>({ op: "burst", serviceId: owner.serviceId, lines: LINES, since }));
  const historyServerCpuMs = cpuMsSince(historyCpu);
  const raw = rawFirst ?? (await readRaw());
  await deps.engine.removeContainer(bulk.containerId);
  return {
    live: live.result,
    serverCpuMs,
    rawFollowMs: follow.result.ms,
    rawCpuMs: follow.result.cpuMs,
    history: history.result,
    historyServerCpuMs,
    rawReadMs: Math.round(raw.result.ms),
    rawReadCpuMs: raw.result.cpuMs,
    engineMs: { live: live.engineMs, rawFollow: follow.engineMs, history: history.engineMs, rawRead: raw.engineMs },
  };
}

/** The engine's own CPU time per burst or read (median), raw next to Berth's; nothing when it was not readable. */
function engineCpuLine(what: string, rounds: BurstRound[], raw: keyof BurstRound["engineMs"], berth: keyof BurstRound["engineMs"]): void {
  const ms = (key: keyof BurstRound["engineMs"]) => rounds.map((r) => r.engineMs[key]).filter((v): v is number => v !== null);
  if (ms(raw).length < rounds.length || ms(berth).length < rounds.length) return;
  console.log(
    `  the engine's own CPU per ${what} (dockerd, median): ${median(ms(raw))} ms with the raw client, ${median(ms(berth))} ms with Berth`,
  );
}

async function main(): Promise<void> {
  await requireTestImage(deps.engine as DockerEngine);
  await (deps.engine as DockerEngine).buildImage({
    tag: BENCH_IMAGE,
    files: [{ name: "Dockerfile", data: `FROM ${TEST_IMAGE}\nENTRYPOINT ["/bin/sh", "-c"]\n` }],
  });
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  const { server, base, io } = await startHttp(deps);
  const client = new Client(base);
  await client.signUp(`bench-${randomUUID().slice(0, 8)}@example.test`);
  const teamId = (await client.query("me.get")).data.teams[0].id as string;
  const projectId = (await client.mutate("projects.create", { teamId, name: `bench-${randomUUID().slice(0, 6)}` })).data.id as string;
  const serviceId = (
    await client.mutate("services.create", {
      projectId,
      name: `logs-${randomUUID().slice(0, 6)}`,
      image: TEST_IMAGE,
      containerPort: 8080,
      env: [],
    })
  ).data.id as string;
  const owner = { teamId, projectId, serviceId };
  const viewer = await startReceiver(base, client.cookie);

  // (b) and (b'), ROUNDS times each; the ratios judged on their medians (one burst varies with load).
  const rounds: BurstRound[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(await burstRound(viewer, owner, i));
  const allIn = rounds.every((r) => r.live.lost === 0 && r.live.inOrder && r.history.lost === 0 && r.history.inOrder);
  const line = (what: string, ms: number[]) =>
    `  ${what} ${ms.map((m) => `${m} ms`).join(", ")}; median ${perSec(LINES / (median(ms) / 1000))} lines/s`;
  console.log(`(b) ${LINES.toLocaleString()} lines printed at once by a container, followed live (${ROUNDS} rounds)`);
  console.log(
    line(
      "raw Engine API follow (docker logs -f) of a twin container:",
      rounds.map((r) => r.rawFollowMs),
    ),
  );
  console.log(
    line(
      "Berth -> socket.io client:                                 ",
      rounds.map((r) => r.live.ms),
    ),
  );
  const liveRatio = median(rounds.map((r) => r.rawFollowMs / r.live.ms));
  console.log(`  ratio Berth / raw (median): ${liveRatio.toFixed(2)} (goal >= 0.95)`);
  console.log(
    `  CPU per burst besides the engine (median): raw client ${median(rounds.map((r) => r.rawCpuMs))} ms; ` +
      `Berth's server ${median(rounds.map((r) => r.serverCpuMs))} ms + viewer ${median(rounds.map((r) => r.live.cpuMs))} ms`,
  );
  engineCpuLine("burst", rounds, "rawFollow", "live");
  console.log(`(b') the same lines read afterwards: a viewer opening the log since the container started (its history)`);
  console.log(
    line(
      "raw Engine API logs (docker logs --since --tail), one read:",
      rounds.map((r) => r.rawReadMs),
    ),
  );
  console.log(
    line(
      "Berth -> socket.io client:                                ",
      rounds.map((r) => r.history.ms),
    ),
  );
  const historyRatio = median(rounds.map((r) => r.rawReadMs / r.history.ms));
  console.log(`  ratio Berth / raw (median): ${historyRatio.toFixed(2)} (goal >= 0.95)`);
  console.log(
    `  CPU per read besides the engine (median): raw client ${median(rounds.map((r) => r.rawReadCpuMs))} ms; ` +
      `Berth's server ${median(rounds.map((r) => r.historyServerCpuMs))} ms + viewer ${median(rounds.map((r) => r.history.cpuMs))} ms`,
  );
  engineCpuLine("read", rounds, "rawRead", "history");
  console.log(`  Berth's first line reached the viewer ${median(rounds.map((r) => r.history.firstMs))} ms after it asked (median)`);
  console.log(`  lines lost ${allIn ? "0, all in order" : "SOME, or out of order"} (goal: none lost, in order)`);
  console.log(
    `  (the engine itself: a live follow runs at ${median(rounds.map((r) => r.rawReadMs / r.rawFollowMs)).toFixed(2)} of one read)`,
  );
  await deps.engine.removeService(serviceId);

  // (c) ~1k lines/s for 8 s: latency from the engine's timestamp to the receiver.
  const paced = await startContainer(owner, "sleep 1; while :; do seq 1 13; usleep 10000; done");
  const rawLatency: number[] = [];
  const berthLatencies = viewer.ask<number[]>({ op: "latency", serviceId, ms: 8000 });
  const stream = await docker
    .getContainer(paced.containerId)
    .logs({ stdout: true, stderr: true, follow: true, timestamps: true, since: Math.floor(Date.now() / 1000) });
  const out = new PassThrough();
  docker.modem.demuxStream(stream, out, out);
  let rest = "";
  out.on("data", (chunk: Buffer) => {
    const at = Date.now();
    // Timestamps lead each line: "2026-...Z text".
    const parts = (rest + chunk.toString("utf8")).split("\n");
    rest = parts.pop() ?? "";
    for (const p of parts) {
      const match = /^(\S+Z) \d+$/.exec(p);
      if (match?.[1]) rawLatency.push(at - Date.parse(match[1]));
    }
  });
  const berthLatency = await berthLatencies;
  (stream as unknown as { destroy(): void }).destroy();
  const rate = berthLatency.length / 8;
  const fmt = (v: number[]) => `p50 ${percentile(v, 50)} ms, p99 ${percentile(v, 99)} ms, max ${Math.max(...v)} ms (${v.length} lines)`;
  console.log(`(c) one log line, container -> receiver, at ~${Math.round(rate)} lines/s for 8 s (engine timestamp to receipt)`);
  console.log(`  raw Engine API follow (docker logs -f): ${fmt(rawLatency)}`);
  console.log(`  Berth -> socket.io client:              ${fmt(berthLatency)}  (goal p99 < 100 ms)`);

  viewer.close();
  await deps.engine.removeService(serviceId);
  await docker.getImage(BENCH_IMAGE).remove();
  await io.close();
  server.close();
  await deps.db.$disconnect();
}

await main();
