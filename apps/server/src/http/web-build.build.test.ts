/**
 * The README's test command builds the dashboard while a Berth may be running from the same
 * checkout. Here: a production server from a "normal" build (a copy of the test build behind a
 * link, as `npm run up` serves .next-live) runs on a free port; the test command's build
 * (BERTH_WEB_DIST_DIR=.next-test) runs beside it; every page of the running server must still
 * load its stylesheets. Before builds had their own directories, the second build replaced the
 * server's files and every stylesheet answered 404. Needs the test build (infra/test.sh makes it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpSync, existsSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../test/free-ports.ts";

const repo = path.resolve(import.meta.dirname, "../../../..");
const web = path.join(repo, "apps/web");
/** The test command's build directory: what infra/test.sh exports (.next-test). */
const TEST_BUILD = process.env.BERTH_WEB_DIST_DIR ?? ".next";
const tag = randomUUID().slice(0, 8);
const normal = `.next-itest-${tag}`;
const live = `.next-itest-live-${tag}`;
let server: ChildProcess | null = null;
let base = "";
let output = "";

const PAGES = [
  "/",
  "/sign-in",
  "/sign-up",
  "/forgot-password",
  "/reset-password",
  "/account",
  "/audit",
  "/settings",
  "/team",
  `/projects/${randomUUID()}`,
  `/services/${randomUUID()}`,
  "/invite/not-a-real-invitation",
  "/no-such-page",
];

async function waitHealthy(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (server?.exitCode !== null) throw new Error(`the server exited early:\n${output.slice(-3000)}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not answer /healthz:\n${output.slice(-3000)}`);
}

/** Every page's stylesheet links, each fetched: path -> hrefs (all answered 200 text/css). */
async function stylesheetsOfEveryPage(): Promise<Record<string, string[]>> {
  const seen: Record<string, string[]> = {};
  for (const page of PAGES) {
    const res = await fetch(`${base}${page}`, { redirect: "manual" });
    expect(res.status, `${page} answered ${res.status}`).toBeLessThan(500);
    const html = await res.text();
    const hrefs = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]*>/g)]
      .map((m) => /href="([^"]+)"/.exec(m[0])?.[1] ?? "")
      .filter(Boolean);
    if (res.status >= 300 && res.status < 400) continue; // a redirect has no page of its own
    expect(hrefs.length, `${page} links no stylesheet`).toBeGreaterThan(0);
    for (const href of hrefs) {
      const css = await fetch(new URL(href, base));
      expect(css.status, `${page}: ${href} answered ${css.status}`).toBe(200);
      expect(css.headers.get("content-type") ?? "").toMatch(/text\/css/);
    }
    seen[page] = hrefs;
  }
  return seen;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repo, env, stdio: ["ignore", "pipe", "pipe"] });
    let log = "";
    child.stdout.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr.on("data", (c: Buffer) => (log += c.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${log.slice(-3000)}`)),
    );
  });
}

const buildId = (dir: string) => readFileSync(path.join(web, dir, "BUILD_ID"), "utf8").trim();

beforeAll(async () => {
  // Never the directories a Berth of this checkout serves (npm run up: .next-live -> .next-a/.next-b) or a plain build's.
  expect(
    [".next", ".next-live", ".next-a", ".next-b"],
    "the test command must build into its own directory (BERTH_WEB_DIST_DIR in infra/test.sh)",
  ).not.toContain(TEST_BUILD);
  if (!existsSync(path.join(web, TEST_BUILD, "BUILD_ID"))) {
    throw new Error(
      `apps/web/${TEST_BUILD} is missing: build it first (BERTH_WEB_DIST_DIR=${TEST_BUILD} npx turbo run build; npm test does)`,
    );
  }
  // The "normal" build: a copy of the test build (no second build), served through a link.
  cpSync(path.join(web, TEST_BUILD), path.join(web, normal), { recursive: true, filter: (src) => path.basename(src) !== "cache" });
  symlinkSync(normal, path.join(web, live));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn("node", ["--import", "tsx", "src/main.ts"], {
    cwd: path.join(repo, "apps/server"),
    env: {
      ...process.env,
      NODE_ENV: "production",
      BERTH_PORT: String(port),
      BERTH_HOST: "127.0.0.1",
      BERTH_PUBLIC_URL: base,
      BERTH_PROXY_ADMIN: "off",
      BERTH_LOG_LEVEL: "warn",
      BERTH_WEB_DIST_DIR: live,
    },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  server.stdout?.on("data", (c: Buffer) => (output += c.toString()));
  server.stderr?.on("data", (c: Buffer) => (output += c.toString()));
  await waitHealthy(Date.now() + 90_000);
});

afterAll(async () => {
  if (server?.pid !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server?.once("exit", resolve));
    process.kill(-server.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  }
  rmSync(path.join(web, live), { force: true });
  rmSync(path.join(web, normal), { recursive: true, force: true });
});

describe("a test build beside a running server", () => {
  it("every page of the running server keeps loading its stylesheets while and after the test command builds", async () => {
    const before = await stylesheetsOfEveryPage();
    const servedId = buildId(normal);
    const testId = buildId(TEST_BUILD);
    const building = run("npx", ["turbo", "run", "build"], {
      ...process.env,
      BERTH_WEB_DIST_DIR: TEST_BUILD,
      NEXT_TELEMETRY_DISABLED: "1",
      TURBO_TELEMETRY_DISABLED: "1",
    });
    // While it builds too (the old failure began as soon as the build cleared the directory).
    await new Promise((r) => setTimeout(r, 5_000));
    await stylesheetsOfEveryPage();
    await building;
    expect(await stylesheetsOfEveryPage()).toEqual(before);
    // The build really ran, into its own directory; the served one is untouched.
    expect(buildId(TEST_BUILD)).not.toBe(testId);
    expect(buildId(normal)).toBe(servedId);
  });
});
