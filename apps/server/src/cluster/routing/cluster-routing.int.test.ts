import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { request as httpRequest } from "node:http";
import { Agent } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EDGE_ROUTE_HEADER } from "@berth/engine";
import { proxyGet, startProxiedWorker, type TestCaddy } from "../../../test/caddy.ts";
import { finishedDeployment } from "../../../test/deploy-harness.ts";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../../test/engine-nodes.ts";
import { removeClusterFixture } from "../../../test/cluster-cleanup.ts";
import { EDGE_TEST_IMAGE, seedService, seedUser, testDeps, waitFor } from "../../../test/harness.ts";
import { buildGreetingImage } from "../../../test/greeting-image.ts";
import { startHttp, type Client } from "../../../test/http-harness.ts";
import { instanceOwnerAndMember } from "../../../test/instance-clients.ts";
import { enqueueDeployment } from "../../deployments/deployments.ts";
import { addDomain } from "../../domains/domains.ts";
import type { Actor } from "../../teams/access.ts";
import { setServicePlacement } from "../service-placement.ts";
import { listServiceTasks } from "../service-tasks.ts";
import { clusterRouteKey } from "./route-key.ts";

/**
 * Routing in a cluster, on a real three-node Docker Swarm made of the harness's engines: the
 * host's edge proxy (the test's own Caddy) sends a cluster service's domain to every node's edge
 * (a global Caddy service, host-mode port), which finds the service's tasks by DNS on the
 * project's overlay network. Under a load loop: rolling updates, the edge's own update (a new
 * route) and a drained node cost no request. Another team's route is not reachable by a forged header or Host.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
const EDGE_PORT = 20_000 + Math.floor(Math.random() * 20_000);
/**
 * berth-test/hello answering with $GREETING, and keeping the SIGTERM contract Berth asks of
 * services (test/greeting-image.ts). Swarm takes a stopping task out of DNS before SIGTERM; the edge re-resolves every
 * second, so the task keeps serving for 2 s before it closes its listener.
 */
const APP_IMAGE = `berth-test/route-graceful:${tag}`;
/** Rolling updates of 3 replicas under load, about 20 s each here. */
const UPDATES = 3;

let http: { server: Server; base: string };
let engines: EngineNodes;
let stack: Awaited<ReturnType<typeof startProxiedWorker>>;
let caddy: TestCaddy;
let owner: Client;
let ca: string;
const serverIds: Record<string, string> = {};
const serviceIds: string[] = [];
const team: Record<"a" | "b" | "c", { actor: Actor; teamId: string; serviceId: string; hostname: string }> = {} as never;

const node = (i: number): EngineNode => engines.nodes[i]!;

beforeAll(async () => {
  Object.assign(deps.env, { BERTH_CLUSTER_EDGE_PORT: EDGE_PORT });
  await buildGreetingImage(deps, APP_IMAGE, 2);
  [engines, http, stack] = await Promise.all([
    startEngineNodes(3),
    startHttp(deps),
    startProxiedWorker(deps, { watchMs: 500, concurrency: 1 }),
  ]);
  caddy = stack.caddy;
  ({ owner } = await instanceOwnerAndMember(deps, http.base, tag));
  await Promise.all(engines.nodes.map((n) => n.loadImages([APP_IMAGE, EDGE_TEST_IMAGE])));
  for (const [name, i] of [
    ["a", 0],
    ["b", 1],
    ["c", 2],
  ] as const) {
    const added = await owner.mutate("servers.add", { kind: "tls", name: `${name}-${tag}`, host: node(i).address, ...node(i).clientTls });
    expect(added.data).toMatchObject({ state: "reachable" });
    serverIds[name] = added.data.id;
  }
  expect((await owner.mutate("cluster.create", { serverId: serverIds.a })).status).toBe(200);
  for (const name of ["b", "c"])
    expect((await owner.mutate("cluster.join", { serverId: serverIds[name], role: "worker" })).status).toBe(200);
  ca = await caddy.admin.internalRootPem();
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  await removeClusterFixture(deps, { tag, serviceIds, http, engines, images: [APP_IMAGE] });
  await deps.db.$disconnect();
});

async function setGreeting(serviceId: string, greeting: string): Promise<void> {
  const { count } = await deps.db.envVar.updateMany({ where: { serviceId, name: "GREETING" }, data: { value: deps.box.seal(greeting) } });
  expect(count).toBe(1);
}

async function deploy(actor: Actor, serviceId: string, greeting: string): Promise<void> {
  await setGreeting(serviceId, greeting);
  const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
  const done = await finishedDeployment(deps, deploymentId, 240_000);
  expect({ status: done.status, error: done.error }).toEqual({ status: "succeeded", error: null });
}

/** A routed 3-replica web service of a new team on the cluster, first release deployed. */
async function routedService(key: "a" | "b" | "c", options: { domain: boolean } = { domain: true }): Promise<void> {
  const { actor, teamId } = await seedUser(deps.db);
  const { serviceId } = await seedService(deps.db, teamId, { image: APP_IMAGE, env: { GREETING: `${key}-0` } });
  serviceIds.push(serviceId);
  await deps.db.service.update({ where: { id: serviceId }, data: { replicas: 3 } });
  await setServicePlacement(deps, actor, serviceId, { placement: "cluster", constraints: [] });
  const hostname = `${key}-${tag}.localhost`;
  if (options.domain) await addDomain(deps, actor, { serviceId, hostname });
  team[key] = { actor, teamId, serviceId, hostname };
  await deploy(actor, serviceId, `${key}-0`);
}

/** GET straight to a node's edge port (what anyone who reaches the node can send). */
function edgeGet(address: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: address, port: EDGE_PORT, path: "/", headers, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
    });
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

async function runningTasks(serviceId: string) {
  const view = await listServiceTasks(deps, team.a.actor, serviceId);
  return view.tasks.filter((t) => t.desiredState === "running" && t.state === "running");
}

describe("routing in a cluster", () => {
  it("a cluster service's domain reaches its tasks through every node's edge", async () => {
    await routedService("a");
    await routedService("b");
    const a = await waitFor(
      "team a's route",
      async () => {
        const res = await proxyGet(caddy, { hostname: team.a.hostname, ca }).catch(() => null);
        return res?.status === 200 && res.body.includes("a-0") ? res : null;
      },
      20_000,
    );
    expect(a.body).toContain("<h1>a-0</h1>");
    // Every node's edge serves it (the host proxy round-robins over them).
    for (const n of engines.nodes) {
      const res = await edgeGet(n.address, { [EDGE_ROUTE_HEADER]: clusterRouteKey(deps.env.BERTH_SECRET, team.a.serviceId) });
      expect({ node: n.address, status: res.status, body: res.body.trim() }).toEqual({
        node: n.address,
        status: 200,
        body: expect.stringContaining("a-0"),
      });
    }
  }, 600_000);

  it("another team's route cannot be picked by a forged header or Host", async () => {
    const keyA = clusterRouteKey(deps.env.BERTH_SECRET, team.a.serviceId);
    // Through the host's proxy: b's domain with a's key still reaches b (the route sets its own key).
    // (Waits until b's route is applied: the previous test waited for a's only.)
    const forged = await waitFor(
      "team b's route",
      async () => {
        const res = await proxyGet(caddy, { hostname: team.b.hostname, ca, headers: { [EDGE_ROUTE_HEADER]: keyA } }).catch(() => null);
        return res?.status === 200 ? res : null;
      },
      20_000,
    );
    expect(forged.body).toContain("<h1>b-0</h1>");
    // Straight to a node's edge: a's Host without a key, or with a made-up key, reaches nothing.
    const address = node(1).address;
    expect(await edgeGet(address, { host: team.a.hostname })).toEqual({ status: 404, body: "No route\n" });
    expect(await edgeGet(address, { host: team.a.hostname, [EDGE_ROUTE_HEADER]: "0".repeat(64) })).toEqual({
      status: 404,
      body: "No route\n",
    });
    expect(await edgeGet(address, { [EDGE_ROUTE_HEADER]: `${keyA}*` })).toEqual({ status: 404, body: "No route\n" });
  });

  it(`a load loop (>= 50 req/s) through the edge sees 0 errors across ${UPDATES} rolling updates, an edge update and a drained node`, async () => {
    const { actor, serviceId, hostname } = team.a;
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });
    const outcomes = { ok: 0, non2xx: [] as string[], errors: [] as string[] };
    const seen = new Set<string>();
    let running = true;
    const started = Date.now();
    // 8 clients, each paced to one request every 50 ms (~160 req/s offered): six on keep-alive
    // connections, two opening a new TLS connection per request. Nothing is retried client-side.
    const client = async (keepAlive: boolean) => {
      while (running) {
        const t0 = Date.now();
        try {
          const res = await proxyGet(caddy, { hostname, ca, agent: keepAlive ? agent : undefined, timeoutMs: 15_000 });
          if (res.status >= 200 && res.status < 300) {
            outcomes.ok++;
            seen.add(/a-\d+/.exec(res.body)?.[0] ?? "?");
          } else outcomes.non2xx.push(`${Date.now() - started} ms: ${res.status} ${res.body.slice(0, 80)}`);
        } catch (err) {
          outcomes.errors.push(`${Date.now() - started} ms: ${err instanceof Error ? err.message : String(err)}`);
        }
        await new Promise((r) => setTimeout(r, Math.max(0, 50 - (Date.now() - t0))));
      }
    };
    const clients = [true, true, true, true, true, true, false, false].map(client);
    const updatesStarted = Date.now();
    for (let i = 1; i <= UPDATES; i++) await deploy(actor, serviceId, `a-${i}`);
    const updatesSeconds = (Date.now() - updatesStarted) / 1000;
    // A new cluster web service (another team's) changes the edge's config: its tasks restart one
    // node at a time. Without a domain yet: a domain is a config load of the host's Caddy, which
    // drops in-flight requests (Caddy 2.6, see the edge proxy's docs) whatever the cluster does.
    const edgeStarted = Date.now();
    await routedService("c", { domain: false });
    const edgeSeconds = (Date.now() - edgeStarted) / 1000;

    // Drain the node running most of the service's tasks: they move to the others.
    const tasks = await runningTasks(serviceId);
    const counts = new Map<string, number>();
    for (const t of tasks) counts.set(t.serverName ?? "", (counts.get(t.serverName ?? "") ?? 0) + 1);
    const busiest = [...counts.entries()].sort((x, y) => y[1] - x[1])[0]![0];
    const drained = Object.entries(serverIds).find(([name]) => `${name}-${tag}` === busiest)![1];
    const drainStarted = Date.now();
    expect((await owner.mutate("cluster.setAvailability", { serverId: drained, availability: "drain" })).status).toBe(200);
    await waitFor(
      "the drained node's tasks to move",
      async () => {
        const now = await runningTasks(serviceId);
        return now.length === 3 && now.every((t) => t.serverName !== busiest);
      },
      120_000,
    );
    const drainSeconds = (Date.now() - drainStarted) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    running = false;
    await Promise.all(clients);
    agent.destroy();
    const seconds = (Date.now() - started) / 1000;
    const total = outcomes.ok + outcomes.non2xx.length + outcomes.errors.length;
    const rate = total / seconds;
    console.info(
      `cluster routing: ${total} requests in ${seconds.toFixed(1)} s (${rate.toFixed(0)} req/s) through 3 nodes' edges; ` +
        `${UPDATES} rolling updates of 3 replicas in ${updatesSeconds.toFixed(1)} s, a new route (edge restarted node by node) in ${edgeSeconds.toFixed(1)} s, drain of ${busiest} (${counts.get(busiest)} task(s)) ` +
        `moved in ${drainSeconds.toFixed(1)} s; ${outcomes.non2xx.length} non-2xx, ${outcomes.errors.length} errors; releases seen: ${[...seen].sort().join(", ")}`,
    );
    if (total !== outcomes.ok) console.info({ errors: outcomes.errors.slice(0, 10), non2xx: outcomes.non2xx.slice(0, 10) });
    expect(outcomes.errors.slice(0, 10)).toEqual([]);
    expect(outcomes.non2xx.slice(0, 10)).toEqual([]);
    expect(rate).toBeGreaterThanOrEqual(50);
    expect(seen.has(`a-${UPDATES}`)).toBe(true);
  }, 900_000);
});
