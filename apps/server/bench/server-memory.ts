/**
 * Benchmark: the control plane's memory at rest. Starts the production build as production
 * starts it (`serve.sh`: `node dist/main.js` with its memory settings, built by `npm run build`),
 * the same build with plain `node dist/main.js` (no settings), and, as the raw baseline, the
 * sources run through the TypeScript loader (`node --import tsx src/main.ts`, how the server ran
 * before it was built ahead of time), each on the database as it is (bench.sh runs it after the
 * overview benchmark seeded 50 services), and prints each one's resident memory 10 s after
 * /healthz first answered (goal: under 200 MB for the production launch). Then it removes the
 * networks the servers' boot recovery made for the seeded projects (their services are desired
 * running): a benchmark leaves the engine as it found it.
 *
 *   DATABASE_URL=... BERTH_SECRET=... node --import tsx apps/server/bench/server-memory.ts
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createDb } from "@berth/db";
import { DockerEngine } from "@berth/engine";
import { untilHttp200 } from "./bench-util.ts";

const port = Number(process.env.BERTH_BENCH_PORT ?? 3190);
const serverDir = path.resolve(import.meta.dirname, "..");
const GOAL_MB = 200;

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024;
}

/** `command args` in the server's directory (serve.sh execs node: the pid stays the server's). */
async function measure(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, {
    cwd: serverDir,
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      BERTH_PORT: String(port),
      BERTH_HOST: "127.0.0.1",
      BERTH_PUBLIC_URL: `http://127.0.0.1:${port}`,
      BERTH_PROXY_ADMIN: "off",
    },
  });
  try {
    await untilHttp200(port);
    await sleep(10_000);
    return rssMb(child.pid!);
  } finally {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
}

/** The networks the servers' boot recovery made for the database's projects, removed (also after a failure). */
async function removeProjectNetworks(): Promise<void> {
  const db = createDb(process.env.DATABASE_URL ?? "");
  const engine = new DockerEngine();
  try {
    for (const { id } of await db.project.findMany({ select: { id: true } })) await engine.pruneNetworks({ projectId: id });
  } finally {
    await db.$disconnect();
  }
}

try {
  const served = await measure("./serve.sh", []);
  const plain = await measure(process.execPath, ["dist/main.js"]);
  const loader = await measure(process.execPath, ["--import", "tsx", "src/main.ts"]);
  console.log("control plane at rest (RSS, 10 s after start)");
  console.log(`  production launch (serve.sh)      ${served.toFixed(0)} MB   goal < ${GOAL_MB} MB ${served < GOAL_MB ? "met" : "NOT met"}`);
  console.log(`  built, no memory settings         ${plain.toFixed(0)} MB   ratio ${(served / plain).toFixed(2)}`);
  console.log(`  raw: sources through tsx          ${loader.toFixed(0)} MB   ratio ${(served / loader).toFixed(2)}`);
} finally {
  await removeProjectNetworks();
}
