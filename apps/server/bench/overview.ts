/**
 * Benchmark: the dashboard overview at scale. Seeds 50 services (5 projects) and 1,000
 * deployments into the database, starts the real control plane (production Next build:
 * build apps/web first) and prints
 *  - tRPC list calls' p50/p95 over HTTP with a session cookie (goal p95 < 25 ms);
 *  - time to first meaningful content of the overview in Chromium (navigation start -> all
 *    50 service rows rendered with their status; goal < 1 s), and the browser's first
 *    contentful paint.
 *
 *   DATABASE_URL=... BERTH_SECRET=... node --import tsx apps/server/bench/overview.ts
 */
import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { chromium } from "playwright-core";
import { createDb, type DeploymentStatus } from "@berth/db";
import { startApp } from "../src/app.ts";
import { readEnv } from "../src/config/env.ts";
import { createLog } from "../src/log.ts";
import { Client } from "../test/http-harness.ts";
import { median, percentile } from "./bench-util.ts";

const PROJECTS = 5;
const SERVICES_PER_PROJECT = 10;
const DEPLOYMENTS_PER_SERVICE = 20;
const CALLS = 200;
const PAGE_RUNS = 7;
const port = Number(process.env.BERTH_BENCH_PORT ?? 3190);
const base = `http://127.0.0.1:${port}`;
const chromiumPath = process.env.BERTH_CHROMIUM ?? "/usr/lib/chromium/chromium";

async function seed(db: ReturnType<typeof createDb>, teamId: string): Promise<{ serviceIds: string[]; projectIds: string[] }> {
  const tag = randomUUID().slice(0, 6);
  const serviceIds: string[] = [];
  const projectIds: string[] = [];
  const deployments: Array<{
    serviceId: string;
    image: string;
    status: DeploymentStatus;
    createdAt: Date;
    finishedAt: Date;
    error: string | null;
  }> = [];
  for (let p = 0; p < PROJECTS; p++) {
    const project = await db.project.create({ data: { teamId, name: `bench-${tag}-${p}` } });
    projectIds.push(project.id);
    for (let s = 0; s < SERVICES_PER_PROJECT; s++) {
      const service = await db.service.create({
        data: { projectId: project.id, name: `svc-${p}-${s}`, image: "berth-test/hello:latest", containerPort: 8080 },
      });
      serviceIds.push(service.id);
      for (let d = 0; d < DEPLOYMENTS_PER_SERVICE; d++) {
        const last = d === DEPLOYMENTS_PER_SERVICE - 1;
        const status: DeploymentStatus = last ? (s === 0 ? "failed" : "succeeded") : d % 7 === 0 ? "failed" : "superseded";
        const createdAt = new Date(Date.now() - (DEPLOYMENTS_PER_SERVICE - d) * 3600_000);
        deployments.push({
          serviceId: service.id,
          image: "berth-test/hello:latest",
          status,
          createdAt,
          finishedAt: new Date(createdAt.getTime() + 5_000),
          error: status === "failed" ? "Health check failed" : null,
        });
      }
    }
  }
  await db.deployment.createMany({ data: deployments });
  return { serviceIds, projectIds };
}

async function timeCalls(client: Client, path: string, input: unknown): Promise<{ p50: number; p95: number; cpuMs: number }> {
  for (let i = 0; i < 20; i++) await client.query(path, input);
  const times: number[] = [];
  // CPU of this process (server and the bench's own client) per call: what a call costs
  // whatever else the machine is doing (wall times grow with the load average).
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    const res = await client.query(path, input);
    times.push(performance.now() - t0);
    if (res.error) throw new Error(`${path}: ${res.error.message}`);
  }
  const cpu = process.cpuUsage(cpu0);
  return { p50: median(times), p95: percentile(times, 95), cpuMs: (cpu.user + cpu.system) / 1000 / CALLS };
}

async function timeOverviewPage(cookie: string): Promise<{
  meaningful: number[];
  inPage: number[];
  fcp: number[];
  shell: number[];
  htmlFirst: number[];
  htmlDone: number[];
  mainThread: number[];
}> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--no-sandbox", "--disable-gpu", "--disable-sync", "--disable-quic", "--no-first-run"],
  });
  const context = await browser.newContext();
  // In the page itself: the frame that first paints every service row (a rAF after the row that
  // completes the list enters the DOM). The driver's own check (below) waits for the renderer's
  // main thread, so it also counts the scripts that run after server-rendered rows are painted.
  // (A string: this file is compiled without the DOM's types.)
  await context.addInitScript({
    content: `(() => {
      const observer = new MutationObserver(() => {
        if (document.querySelectorAll('[data-testid="overview-service"] [data-testid="overview-status"]').length < ${PROJECTS * SERVICES_PER_PROJECT}) return;
        observer.disconnect();
        requestAnimationFrame(() => { window.__rowsPainted = performance.now(); });
      });
      observer.observe(document, { childList: true, subtree: true });
    })();`,
  });
  await context.addCookies(
    cookie.split("; ").map((pair) => ({ name: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), url: base })),
  );
  const meaningful: number[] = [];
  const inPage: number[] = [];
  const fcp: number[] = [];
  const shell: number[] = [];
  const htmlFirst: number[] = [];
  const htmlDone: number[] = [];
  const mainThread: number[] = [];
  try {
    for (let run = 0; run <= PAGE_RUNS; run++) {
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send("Performance.enable");
      await page.goto(`${base}/`, { waitUntil: "commit" });
      // The dashboard frame is up once the account (me.get) is loaded: the overview query starts then.
      await page.getByRole("heading", { name: "Overview", level: 2 }).waitFor({ timeout: 30_000 });
      const framed = await page.evaluate(() => performance.now());
      await page
        .locator('[data-testid="overview-service"] [data-testid="overview-status"]')
        .nth(PROJECTS * SERVICES_PER_PROJECT - 1)
        .waitFor({ timeout: 30_000 });
      // Milliseconds since this navigation started, read in the page itself.
      const painted = await page.waitForFunction("window.__rowsPainted", undefined, { timeout: 30_000 });
      const rowsPainted = (await painted.jsonValue()) as number;
      const [rendered, paint, first, done] = await page.evaluate(() => {
        const html = performance.getEntries().find((e) => (e.entryType as string) === "navigation") as unknown as
          { responseStart: number; responseEnd: number } | undefined;
        return [
          performance.now(),
          performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN,
          html?.responseStart ?? NaN,
          html?.responseEnd ?? NaN,
        ];
      });
      if (run > 0) {
        // The first load warms the server's caches and Chromium's; it is not counted.
        meaningful.push(rendered);
        inPage.push(rowsPainted);
        fcp.push(paint);
        shell.push(framed);
        htmlFirst.push(first);
        htmlDone.push(done);
        // The renderer's main-thread busy time up to now: the page's own work, not the waiting.
        const { metrics } = await cdp.send("Performance.getMetrics");
        mainThread.push((metrics.find((m) => m.name === "TaskDuration")?.value ?? NaN) * 1000);
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return { meaningful, inPage, fcp, shell, htmlFirst, htmlDone, mainThread };
}

const env = readEnv({
  ...process.env,
  BERTH_PORT: String(port),
  BERTH_HOST: "127.0.0.1",
  BERTH_PUBLIC_URL: base,
  NODE_ENV: "production",
  BERTH_AUTH_RATE_LIMIT: "off",
});
const db = createDb(env.DATABASE_URL);
const app = await startApp(env, createLog("warn"));
try {
  const client = new Client(base);
  const signUp = await client.signUp(`bench-${randomUUID().slice(0, 8)}@example.test`);
  if (signUp.status !== 200) throw new Error(`sign-up failed (${signUp.status}): open sign-up or use a fresh database`);
  const teamId = (await client.query("me.get")).data.teams[0].id as string;
  const { serviceIds, projectIds } = await seed(db, teamId);
  // Every figure below is wall time on this machine: a busy machine slows all of them.
  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at start`,
  );
  console.log(
    `seeded ${serviceIds.length} services in ${projectIds.length} projects and ${await db.deployment.count()} deployments in the database`,
  );

  console.log(`\ntRPC list calls (${CALLS} sequential calls each over HTTP, session cookie; goal p95 < 25 ms):`);
  const calls: Array<[string, unknown]> = [
    // Baseline: the cheapest authenticated call (session lookup + one row), the floor of every call here.
    ["me.get", undefined],
    ["overview.team", { teamId }],
    ["projects.list", { teamId }],
    ["projects.get", { projectId: projectIds[0] }],
    ["deployments.list", { serviceId: serviceIds[0] }],
    ["metrics.service", { serviceId: serviceIds[0] }],
  ];
  for (const [path, input] of calls) {
    const { p50, p95, cpuMs } = await timeCalls(client, path, input);
    console.log(
      `  ${path.padEnd(18)} p50 ${p50.toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms   ${p95 < 25 ? "ok       " : "OVER GOAL"}   cpu ${cpuMs.toFixed(1)} ms/call`,
    );
  }

  const { meaningful, inPage, fcp, shell, htmlFirst, htmlDone, mainThread } = await timeOverviewPage(client.cookie);
  console.log(`\noverview page with ${serviceIds.length} services in Chromium (${PAGE_RUNS} loads after one warm-up; goal < 1000 ms):`);
  console.log(
    `  first meaningful content (all service rows with status): median ${median(meaningful).toFixed(0)} ms, worst ${Math.max(...meaningful).toFixed(0)} ms   ${median(meaningful) < 1000 ? "ok" : "OVER GOAL"}`,
  );
  console.log(
    `  all service rows painted (measured in the page):        median ${median(inPage).toFixed(0)} ms, worst ${Math.max(...inPage).toFixed(0)} ms`,
  );
  console.log(`  first contentful paint:                                  median ${median(fcp).toFixed(0)} ms`);
  console.log(
    `  page HTML (rendered with its data): first byte median ${median(htmlFirst).toFixed(0)} ms, last byte ${median(htmlDone).toFixed(0)} ms`,
  );
  console.log(`  dashboard frame (account loaded):                        median ${median(shell).toFixed(0)} ms`);
  console.log(`  renderer main-thread busy time until then:               median ${median(mainThread).toFixed(0)} ms`);
  console.log(
    `\nload average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} catch (err) {
  // Next's in-process server installs an uncaughtException handler that only logs: fail loudly here.
  console.error("overview benchmark failed:", err);
  process.exitCode = 1;
  // Closing the app after a failed start-up step can wait on its background loops: do not hang.
  setTimeout(() => process.exit(1), 15_000).unref();
} finally {
  await app.close();
  await db.$disconnect();
}
