import { randomBytes, randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { createDb, type Db } from "@berth/db";
import { DockerEngine } from "@berth/engine";
import { pino } from "pino";
import type { Deps } from "../src/deps.ts";
import { DeploymentEvents } from "../src/deployments/events.ts";
import type { Actor } from "../src/teams/access.ts";
import type { TeamRole } from "@berth/db";
import { sealedBoxOf } from "../src/secrets/sealed-box.ts";
import { WorkerSignals } from "../src/deployments/worker-signals.ts";

/**
 * One instance secret for the whole run (the test command exports BERTH_SECRET; vitest
 * re-evaluates this module per file): rows sealed by one file open in another, as on one instance.
 */
const TEST_SECRET =
  process.env.BERTH_SECRET && process.env.BERTH_SECRET.length >= 32 ? process.env.BERTH_SECRET : randomBytes(32).toString("hex");

/** Real Postgres (DATABASE_URL, migrated by the test command) and the real Docker Engine. */
export const TEST_IMAGE = "berth-test/hello:latest";
/** The cluster edge's image in tests (Debian's Caddy; caddy:2 cannot be pulled here): harness nodes that run cluster web services load it. */
export const EDGE_TEST_IMAGE = "berth-test/caddy:2";

function upstreamWindow(): { from: number; to: number } {
  // Below the ephemeral range (32768+), where Docker picks random host ports. 60 windows of 200;
  // a parallel worker (VITEST_POOL_ID) only ever takes windows of its own lane of four, so two
  // files running at once never pick the same window.
  const lanes = 4;
  const lane = (Number(process.env.VITEST_POOL_ID ?? 1) - 1) % lanes;
  const from = 20000 + 200 * (lane + lanes * Math.floor(Math.random() * (60 / lanes)));
  return { from, to: from + 199 };
}

/**
 * Where git services' cached checkouts go: the file's own directory (int-file-setup.ts makes it
 * and removes it after the file), else one shared by scripts (each service its own subdirectory).
 */
export function testGitCacheDir(): string {
  return process.env.BERTH_TEST_GIT_CACHE_DIR ?? path.join(tmpdir(), "berth-test-git-cache");
}

/**
 * The deps of a test file. The product builds its Deps once, complete and frozen (app.ts);
 * a test wires in the parts it starts later (a test Caddy's proxy, a mail sink, the server's
 * own URL once it listens), so its view is writable.
 */
export type TestDeps = { -readonly [K in keyof Deps]: Deps[K] };

export function testDeps(): TestDeps {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set: run the tests through `npm test`");
  return {
    env: {
      DATABASE_URL: databaseUrl,
      BERTH_SECRET: TEST_SECRET,
      BERTH_PORT: 0,
      BERTH_HOST: "127.0.0.1",
      BERTH_DOCKER_SOCKET: "/var/run/docker.sock",
      // The global limit counts every active deployment in the shared test database: a slot
      // held by another file's unfinished deployment must not starve this file's worker.
      // (The limit itself is tested through the instance setting, concurrency.int.test.ts.)
      BERTH_BUILD_CONCURRENCY: 8,
      BERTH_BUILDER: "auto",
      BERTH_RETAIN_RELEASES: 5,
      // Generous: the test engine's cache is shared with other work on the host.
      BERTH_BUILD_CACHE_GB: 1000,
      BERTH_BUILD_DISK_BUDGET_GB: 20,
      BERTH_READY_TIMEOUT_S: 5,
      BERTH_RECONCILE_INTERVAL_S: 30,
      BERTH_DEPLOYMENT_LEASE_S: 30,
      BERTH_TRUSTED_PROXIES: [],
      BERTH_AUTH_RATE_LIMIT: "on",
      BERTH_MAIL_FROM: "Berth <berth@test.local>",
      BERTH_LOG_LEVEL: "warn",
      BERTH_PROXY_ADMIN: "off",
      BERTH_PROXY_HTTP_PORT: 80,
      BERTH_PROXY_HTTPS_PORT: 443,
      BERTH_PROXY_MARK_PORT: 0,
      BERTH_PROXY_BIND: "127.0.0.1",
      BERTH_PROXY_DATA_DIR: "/tmp/berth-test-caddy",
      BERTH_GIT_CACHE_DIR: testGitCacheDir(),
      BERTH_CLUSTER_EDGE_IMAGE: EDGE_TEST_IMAGE,
      BERTH_PROXY_PUBLIC_IP: "",
      // A random window per test process: parallel runs rarely pick the same ports (a taken port is skipped anyway).
      BERTH_PROXY_UPSTREAM_PORTS: upstreamWindow(),
      NODE_ENV: "test",
      publicUrl: "http://127.0.0.1:0",
    },
    log: pino({ level: process.env.BERTH_TEST_LOG ?? "silent" }),
    db: createDb(databaseUrl),
    engine: new DockerEngine(),
    events: new DeploymentEvents(),
    box: sealedBoxOf({ BERTH_SECRET: TEST_SECRET }),
    queue: new WorkerSignals(),
  };
}

export async function requireTestImage(engine: DockerEngine): Promise<void> {
  await engine.ensureImage(TEST_IMAGE).catch(() => {
    throw new Error(`${TEST_IMAGE} is missing: build it with bash infra/build-test-images.sh (npm test does)`);
  });
}

/** A user with a team of their own (role owner unless told otherwise). */
export async function seedUser(db: Db, role: TeamRole = "owner", teamId?: string): Promise<{ actor: Actor; teamId: string }> {
  const id = randomUUID();
  await db.user.create({ data: { id, name: `u-${id.slice(0, 6)}`, email: `${id}@test.berth.local` } });
  const team = teamId ?? (await db.team.create({ data: { name: `team-${id.slice(0, 6)}` }, select: { id: true } })).id;
  await db.membership.create({ data: { teamId: team, userId: id, role } });
  return { actor: { userId: id, instanceRole: "user" }, teamId: team };
}

export async function seedService(
  db: Db,
  teamId: string,
  overrides: { image?: string; containerPort?: number; env?: Record<string, string> } = {},
): Promise<{ projectId: string; serviceId: string }> {
  const project = await db.project.create({ data: { teamId, name: `p-${randomUUID().slice(0, 8)}` } });
  const service = await db.service.create({
    data: {
      projectId: project.id,
      name: `svc-${randomUUID().slice(0, 8)}`,
      image: overrides.image ?? TEST_IMAGE,
      containerPort: overrides.containerPort ?? 8080,
    },
  });
  // Run-time variables, sealed like the product stores them.
  const env = overrides.env ?? { GREETING: "hello from a test" };
  const box = sealedBoxOf({ BERTH_SECRET: TEST_SECRET });
  for (const [name, value] of Object.entries(env)) {
    await db.envVar.create({ data: { projectId: project.id, serviceId: service.id, scopeKey: service.id, name, value: box.seal(value) } });
  }
  return { projectId: project.id, serviceId: service.id };
}

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function httpGet(port: number): Promise<{ status: number; body: string }> {
  const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) });
  return { status: res.status, body: await res.text() };
}
