import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { Agent } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { proxyGet, startProxiedWorker, type TestCaddy } from "../../test/caddy.ts";
import { requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { finishedDeployment } from "../../test/deploy-harness.ts";
import { addDomain } from "../domains/domains.ts";
import type { Actor } from "../teams/access.ts";

const deps = testDeps();
let caddy: TestCaddy;
let stack: Awaited<ReturnType<typeof startProxiedWorker>>;
let serviceId = "";
const hostname = `zdt-${randomUUID().slice(0, 8)}.localhost`;
let replicated = "";
const cleanup: string[] = [];

/**
 * berth-test/hello's entry script exits at once on SIGTERM, and its exit ends the forked
 * httpd children still writing responses: a response the app itself cuts cannot be saved by
 * any proxy. This variant keeps the SIGTERM contract Berth asks of services (stop accepting,
 * finish what is in flight, then exit), which is what zero-downtime needs from the app side.
 * It also answers POSTs (/cgi-bin/echo) and 1 s requests (/cgi-bin/slow) for the replicas test.
 */
const GRACEFUL_IMAGE = `berth-test/zdt-graceful:${randomUUID().slice(0, 8)}`;
const GRACEFUL_ENTRY = `#!/bin/sh
mkdir -p /www/cgi-bin
printf '<!doctype html>\n<h1>%s</h1>\n' "\${GREETING:-hello}" >/www/index.html
httpd -f -p 8080 -h /www &
httpd_pid=$!
trap 'kill "$httpd_pid"; sleep 1.5; exit 0' TERM INT
while :; do sleep 1 & wait $!; done
`;

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.engine.buildImage({
    tag: GRACEFUL_IMAGE,
    files: [
      {
        name: "Dockerfile",
        data: 'FROM berth-test/hello:latest\nCOPY graceful.sh /graceful.sh\nCOPY echo slow /www/cgi-bin/\nRUN ["/bin/chmod", "+x", "/www/cgi-bin/echo", "/www/cgi-bin/slow"]\nENTRYPOINT ["/bin/sh", "/graceful.sh"]\n',
      },
      { name: "graceful.sh", data: GRACEFUL_ENTRY },
      // POST /cgi-bin/echo answers with the release and the body's length; /cgi-bin/slow takes 1 s.
      {
        name: "echo",
        data: '#!/bin/sh\nbody=$(head -c "${CONTENT_LENGTH:-0}")\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s posted %s\\n" "$GREETING" "${#body}"\n',
      },
      { name: "slow", data: '#!/bin/sh\nsleep 1\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s slow\\n" "$GREETING"\n' },
    ],
  });
  stack = await startProxiedWorker(deps, { watchMs: 500, concurrency: 1 });
  caddy = stack.caddy;
});

afterAll(async () => {
  await stack.stop();
  if (serviceId) await deps.engine.removeService(serviceId);
  if (replicated) await deps.engine.removeService(replicated);
  for (const id of cleanup) await deps.engine.removeService(id);
  await new Docker({ socketPath: "/var/run/docker.sock" }).getImage(GRACEFUL_IMAGE).remove();
  await deps.db.$disconnect();
});

/** Deploy `target` with GREETING = greeting and wait until the deployment ends (any outcome). */
async function deployment(actor: Actor, greeting: string, target: string) {
  // The service's run-time variable (seeded by seedService), sealed as the product stores it.
  const { count } = await deps.db.envVar.updateMany({
    where: { serviceId: target, name: "GREETING" },
    data: { value: deps.box.seal(greeting) },
  });
  expect(count).toBe(1);
  const { deploymentId } = await enqueueDeployment(deps, actor, target);
  return finishedDeployment(deps, deploymentId);
}

/**
 * Consecutive redeploys under load per test: each is a full hand-over (health gate, idle marks
 * expiring, drain, graceful stop), about 6 s here, and this file runs alone, so it was cut from
 * ten to six for the test command's time; the engine's own zero-downtime test runs ten releases
 * without the proxy.
 */
const REDEPLOYS = 6;

async function deploy(actor: Actor, greeting: string, target = serviceId): Promise<void> {
  const done = await deployment(actor, greeting, target);
  expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
}

describe("zero-downtime redeploys through the proxy", () => {
  it(`a load loop (>= 50 req/s) across ${REDEPLOYS} consecutive redeploys sees 0 non-2xx and 0 connection errors`, async () => {
    const { actor, teamId } = await seedUser(deps.db);
    serviceId = (await seedService(deps.db, teamId, { image: GRACEFUL_IMAGE })).serviceId;
    await addDomain(deps, actor, { serviceId, hostname });
    await deploy(actor, "release-0");
    const ca = await caddy.admin.internalRootPem();
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    await waitFor("the route", async () => (await proxyGet(caddy, { hostname, ca, agent }).catch(() => null))?.status === 200, 10_000);

    const outcomes = { ok: 0, non2xx: [] as string[], errors: [] as string[] };
    const seen = new Set<string>();
    let running = true;
    const started = Date.now();
    // 10 clients, each paced to one request every 50 ms (~200 req/s offered, so a loaded machine
    // still keeps >= 50): eight on keep-alive connections, two opening a new TLS connection per
    // request. Nothing is retried client-side.
    const client = async (keepAlive: boolean) => {
      while (running) {
        const t0 = Date.now();
        try {
          const res = await proxyGet(caddy, { hostname, ca, agent: keepAlive ? agent : undefined, timeoutMs: 10_000 });
          if (res.status >= 200 && res.status < 300) {
            outcomes.ok++;
            seen.add(/release-\d+/.exec(res.body)?.[0] ?? "?");
          } else outcomes.non2xx.push(`${res.status} ${res.body.slice(0, 80)}`);
        } catch (err) {
          outcomes.errors.push(`${Date.now() - started} ms: ${err instanceof Error ? err.message : String(err)}`);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - t0))));
      }
    };
    const clients = [true, true, true, true, true, true, true, true, false, false].map(client);
    for (let i = 1; i <= REDEPLOYS; i++) await deploy(actor, `release-${i}`);
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(clients);
    agent.destroy();
    const seconds = (Date.now() - started) / 1000;
    const rate = (outcomes.ok + outcomes.non2xx.length + outcomes.errors.length) / seconds;

    expect(outcomes.errors.slice(0, 10)).toEqual([]);
    expect(outcomes.non2xx.slice(0, 5)).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(50);
    // Traffic really moved: the last release answers, and the releases in between were seen.
    expect(seen.has(`release-${REDEPLOYS}`)).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(REDEPLOYS - 2);
    // The last release's predecessor is retired after the deployment is recorded live.
    await waitFor("the old release to be retired", async () => (await deps.engine.listManaged({ serviceId })).length === 1);
    console.info(
      `zero-downtime: ${outcomes.ok} requests in ${seconds.toFixed(1)} s (${rate.toFixed(0)} req/s), ${REDEPLOYS} redeploys, ${seen.size} releases seen`,
    );
  }, 90_000);

  it("a release that answers but fails its health check never gets a request; the old one keeps serving", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const gated = (await seedService(deps.db, teamId, { image: GRACEFUL_IMAGE })).serviceId;
    cleanup.push(gated);
    const host = `zdt-gate-${randomUUID().slice(0, 8)}.localhost`;
    await addDomain(deps, actor, { serviceId: gated, hostname: host });
    await deploy(actor, "good-release", gated);
    const ca = await caddy.admin.internalRootPem();
    await waitFor("the route", async () => (await proxyGet(caddy, { hostname: host, ca }).catch(() => null))?.status === 200, 10_000);
    // The next release listens at once (its / answers) but its health path never does.
    await deps.db.service.update({
      where: { id: gated },
      data: { runtime: { healthCheck: { type: "http", path: "/missing", intervalS: 1, retries: 3 } } },
    });
    const bodies = new Map<string, number>();
    let running = true;
    const client = async () => {
      while (running) {
        const res = await proxyGet(caddy, { hostname: host, ca, timeoutMs: 10_000 }).catch((err: unknown) => ({
          status: 0,
          body: String(err),
        }));
        const key = `${res.status} ${/[a-z]+-release|Error.*/.exec(res.body)?.[0] ?? res.body.slice(0, 40)}`;
        bodies.set(key, (bodies.get(key) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const clients = [client(), client(), client()];
    const done = await deployment(actor, "bad-release", gated);
    running = false;
    await Promise.all(clients);
    expect(done.status).toBe("failed");
    expect([...bodies.keys()]).toEqual(["200 good-release"]);
    expect(bodies.get("200 good-release")).toBeGreaterThan(20);
  }, 150_000);

  /**
   * POSTs are asserted like the rest: Caddy 2.6 re-sends a retried request's body empty, so
   * only ports of a healthy release may ever be chosen (the idle marks, see edge-proxy.ts).
   */
  it(`3 replicas: GETs, POSTs and 1 s requests (>= 50 req/s) across ${REDEPLOYS} redeploys see 0 non-2xx, 0 connection errors, and every long request completes`, async () => {
    const { actor, teamId } = await seedUser(deps.db);
    replicated = (await seedService(deps.db, teamId, { image: GRACEFUL_IMAGE })).serviceId;
    await deps.db.service.update({ where: { id: replicated }, data: { replicas: 3 } });
    const host = `zdt3-${randomUUID().slice(0, 8)}.localhost`;
    await addDomain(deps, actor, { serviceId: replicated, hostname: host });
    await deploy(actor, "release-0", replicated);
    expect((await deps.engine.listManaged({ serviceId: replicated })).filter((c) => c.state === "running")).toHaveLength(3);
    const ca = await caddy.admin.internalRootPem();
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    await waitFor(
      "the route",
      async () => (await proxyGet(caddy, { hostname: host, ca, agent }).catch(() => null))?.status === 200,
      10_000,
    );

    const outcomes = {
      get: 0,
      post: 0,
      slowStarted: 0,
      slowDone: 0,
      postFailed: [] as string[],
      non2xx: [] as string[],
      errors: [] as string[],
    };
    const seen = new Set<string>();
    let running = true;
    const started = Date.now();
    type Kind = "get" | "post" | "slow";
    const request = (kind: Kind) =>
      kind === "post"
        ? proxyGet(caddy, {
            hostname: host,
            ca,
            agent,
            method: "POST",
            path: "/cgi-bin/echo",
            body: "x".repeat(100),
            headers: { "content-type": "text/plain" },
            timeoutMs: 10_000,
          })
        : proxyGet(caddy, { hostname: host, ca, agent, path: kind === "slow" ? "/cgi-bin/slow" : "/", timeoutMs: 10_000 });
    // No client retries: every request counts once; the proxy retries only refused dials and idempotent requests.
    const client = async (kind: Kind) => {
      while (running) {
        const t0 = Date.now();
        if (kind === "slow") outcomes.slowStarted++;
        try {
          const res = await request(kind);
          if (res.status >= 200 && res.status < 300 && (kind !== "post" || /release-\d+ posted 100/.test(res.body))) {
            outcomes[kind === "slow" ? "slowDone" : kind]++;
            seen.add(/release-\d+/.exec(res.body)?.[0] ?? "?");
          } else if (kind === "post") outcomes.postFailed.push(`${Date.now() - started} ms: ${res.status} ${res.body.slice(0, 80)}`);
          else outcomes.non2xx.push(`${kind} ${res.status} ${res.body.slice(0, 80)}`);
        } catch (err) {
          const failure = `${kind} ${Date.now() - started} ms: ${err instanceof Error ? err.message : String(err)}`;
          (kind === "post" ? outcomes.postFailed : outcomes.errors).push(failure);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - t0))));
      }
    };
    const clients = (["get", "get", "get", "get", "get", "post", "post", "post", "slow", "slow"] as const).map(client);
    for (let i = 1; i <= REDEPLOYS; i++) await deploy(actor, `release-${i}`, replicated);
    await new Promise((r) => setTimeout(r, 500));
    running = false;
    await Promise.all(clients);
    agent.destroy();
    const seconds = (Date.now() - started) / 1000;
    const total =
      outcomes.get + outcomes.post + outcomes.slowDone + outcomes.postFailed.length + outcomes.non2xx.length + outcomes.errors.length;

    expect(outcomes.errors.slice(0, 10)).toEqual([]);
    expect(outcomes.non2xx.slice(0, 5)).toEqual([]);
    expect(outcomes.postFailed.slice(0, 5)).toEqual([]);
    expect(total / seconds).toBeGreaterThanOrEqual(50);
    expect(outcomes.post).toBeGreaterThan(100);
    expect(outcomes.slowDone).toBe(outcomes.slowStarted);
    expect(seen.has(`release-${REDEPLOYS}`)).toBe(true);
    await waitFor("the old replicas to be retired", async () => (await deps.engine.listManaged({ serviceId: replicated })).length === 3);
    const left = await deps.engine.listManaged({ serviceId: replicated });
    expect(left.filter((c) => c.state === "running")).toHaveLength(3);
    expect(new Set(left.map((c) => c.deploymentId)).size).toBe(1);
    console.info(
      `zero-downtime x3: ${outcomes.get} GET, ${outcomes.post} POST, ${outcomes.slowDone} slow in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} req/s), ${REDEPLOYS} redeploys`,
    );
  }, 180_000);
});
