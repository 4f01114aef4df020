/**
 * Benchmark: a rolling redeploy of a 3-replica service on a 3-node Docker Swarm (issue 15).
 * Three harness engines (test/engine-nodes.ts: dockerds in network namespaces; the host's engine
 * never enters swarm mode) are added as servers and formed into a cluster through the API, and
 * a 3-replica service is placed on it. Printed, per run and as medians:
 *  - Berth: the `services.deploy` call -> the deployment `succeeded` (every replica of the new
 *    release running and healthy, as Berth records it) -> `services.tasks` listing three tasks of
 *    that release;
 *  - raw: the same Swarm spec as a service of its own, updated directly through the manager's
 *    Engine API as `docker service update --force` does, polled until its update completed and
 *    three new tasks run.
 *
 *   DATABASE_URL=... BERTH_SECRET=... node --import tsx apps/server/bench/cluster-deploy.ts [runs]
 * (root: it makes network namespaces; `infra/bootstrap.sh --with-test` installed what it needs)
 */
import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { cpus, loadavg } from "node:os";
import { createDb } from "@berth/db";
import { LABEL_SERVICE } from "@berth/engine";
import { startApp } from "../src/app.ts";
import { readEnv } from "../src/config/env.ts";
import { createLog } from "../src/log.ts";
import { startEngineNodes, type EngineNode } from "../test/engine-nodes.ts";
import { EDGE_TEST_IMAGE, TEST_IMAGE } from "../test/harness.ts";
import { Client } from "../test/http-harness.ts";
import { median, secs } from "./bench-util.ts";

const RUNS = Number(process.argv[2] ?? 5);
const REPLICAS = 3;
const POLL_MS = 100;
const port = Number(process.env.BERTH_BENCH_PORT ?? 3192);
const base = `http://127.0.0.1:${port}`;

/** One JSON call to an engine's API on its unix socket (the raw baseline talks to Swarm directly). */
function api<T>(socketPath: string, method: string, path: string, body?: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request({ socketPath, method, path, headers: payload ? { "content-type": "application/json" } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if ((res.statusCode ?? 500) >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
        else resolve((text ? JSON.parse(text) : null) as T);
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(payload);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The answer's data, or an error naming the call (the harness client types its data loosely). */
async function must(label: string, call: ReturnType<Client["query"]>) {
  const res = await call;
  if (res.status !== 200) throw new Error(`${label}: ${res.status} ${res.error?.message ?? ""}`);
  return res.data;
}

interface SwarmService {
  ID: string;
  Version: { Index: number };
  Spec: {
    Name: string;
    Labels?: Record<string, string>;
    TaskTemplate: { ForceUpdate?: number; ContainerSpec: { Labels?: Record<string, string> } };
  };
  UpdateStatus?: { State: string };
}
interface SwarmTask {
  Status: { State: string };
  DesiredState: string;
  Version: { Index: number };
  CreatedAt: string;
}

/** Berth: the deploy call until the deployment succeeded and the task list shows the new release on every replica. */
async function berthRedeploy(client: Client, serviceId: string): Promise<number> {
  const started = performance.now();
  const { deploymentId } = await must("services.deploy", client.mutate("services.deploy", { serviceId }));
  for (;;) {
    const d = await must("deployments.get", client.query("deployments.get", { deploymentId }));
    if (d.status === "succeeded") break;
    if (["failed", "canceled", "superseded"].includes(d.status)) throw new Error(`deployment ${d.status}: ${d.error}`);
    await sleep(POLL_MS);
  }
  const view = await must("services.tasks", client.query("services.tasks", { serviceId }));
  const fresh = (view.tasks as Array<{ state: string; desiredState: string; deploymentId: string }>).filter(
    (t) => t.state === "running" && t.desiredState === "running" && t.deploymentId === deploymentId,
  );
  if (fresh.length !== REPLICAS) throw new Error(`succeeded with ${fresh.length} of ${REPLICAS} tasks of the new release running`);
  return performance.now() - started;
}

/** Raw: `docker service update --force` through the manager's Engine API, polled until done. */
async function rawRedeploy(manager: EngineNode, id: string): Promise<number> {
  const started = performance.now();
  const current = await api<SwarmService>(manager.socketPath, "GET", `/services/${id}`);
  const spec = current.Spec;
  spec.TaskTemplate.ForceUpdate = (spec.TaskTemplate.ForceUpdate ?? 0) + 1;
  await api(manager.socketPath, "POST", `/services/${id}/update?version=${current.Version.Index}`, spec);
  const since = Date.now();
  for (;;) {
    const svc = await api<SwarmService>(manager.socketPath, "GET", `/services/${id}`);
    const filters = encodeURIComponent(JSON.stringify({ service: [id], "desired-state": ["running"] }));
    const tasks = await api<SwarmTask[]>(manager.socketPath, "GET", `/tasks?filters=${filters}`);
    const running = tasks.filter((t) => t.Status.State === "running" && Date.parse(t.CreatedAt) >= since - 1000);
    if (svc.UpdateStatus?.State === "completed" && running.length === REPLICAS) break;
    if (svc.UpdateStatus?.State?.startsWith("rollback") || svc.UpdateStatus?.State === "paused")
      throw new Error(`raw update ${svc.UpdateStatus.State}`);
    await sleep(POLL_MS);
  }
  return performance.now() - started;
}

const engines = await startEngineNodes(3);
const env = readEnv({
  ...process.env,
  BERTH_PORT: String(port),
  BERTH_HOST: "127.0.0.1",
  BERTH_PUBLIC_URL: base,
  NODE_ENV: "production",
  BERTH_AUTH_RATE_LIMIT: "off",
  BERTH_CLUSTER_EDGE_IMAGE: EDGE_TEST_IMAGE,
});
let app: Awaited<ReturnType<typeof startApp>> | undefined;
try {
  await Promise.all(engines.nodes.map((n) => n.loadImages([TEST_IMAGE, EDGE_TEST_IMAGE])));
  app = await startApp(env, createLog("warn"));
  const tag = randomUUID().slice(0, 6);
  const client = new Client(base);
  const signUp = await client.signUp(`bench-${tag}@example.test`);
  if (signUp.status !== 200) throw new Error(`sign-up failed (${signUp.status}): use a fresh database`);
  const teamId = (await must("me.get", client.query("me.get"))).teams[0].id as string;

  const serverIds: string[] = [];
  for (const [i, node] of engines.nodes.entries()) {
    const added = await must(
      "servers.add",
      client.mutate("servers.add", { kind: "tls", name: `node-${i}-${tag}`, host: node.address, ...node.clientTls }),
    );
    serverIds.push(added.id);
  }
  await must("cluster.create", client.mutate("cluster.create", { serverId: serverIds[0] }));
  for (const serverId of serverIds.slice(1)) await must("cluster.join", client.mutate("cluster.join", { serverId, role: "worker" }));

  const project = await must("projects.create", client.mutate("projects.create", { teamId, name: `bench-${tag}` }));
  const service = await must(
    "services.create",
    client.mutate("services.create", { projectId: project.id, name: "web", image: TEST_IMAGE, containerPort: 8080, replicas: REPLICAS }),
  );
  const serviceId = service.id as string;
  await must("services.setPlacement", client.mutate("services.setPlacement", { serviceId, placement: "cluster", constraints: [] }));

  console.log(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} at start`,
  );
  console.log(
    `cluster: 3 nodes (1 manager, 2 workers), a ${REPLICAS}-replica service of ${TEST_IMAGE}; ${RUNS} redeploys each after one warm-up\n`,
  );

  // First release (creates the Swarm service), then one warm-up redeploy; neither is counted.
  await berthRedeploy(client, serviceId);
  await berthRedeploy(client, serviceId);
  const berth: number[] = [];
  for (let i = 0; i < RUNS; i++) berth.push(await berthRedeploy(client, serviceId));

  // The raw service: Berth's own Swarm spec under another name, so both roll the same way.
  const manager = engines.nodes[0]!;
  const filters = encodeURIComponent(JSON.stringify({ label: [`${LABEL_SERVICE}=${serviceId}`] }));
  const [berthSwarm] = await api<SwarmService[]>(manager.socketPath, "GET", `/services?filters=${filters}`);
  if (!berthSwarm) throw new Error("Berth's Swarm service was not found on the manager");
  const rawSpec = { ...berthSwarm.Spec, Name: `raw-${tag}`, Labels: {} };
  rawSpec.TaskTemplate = { ...rawSpec.TaskTemplate, ContainerSpec: { ...rawSpec.TaskTemplate.ContainerSpec, Labels: {} } };
  const created = await api<{ ID: string }>(manager.socketPath, "POST", "/services/create", rawSpec);
  await rawRedeploy(manager, created.ID);
  const raw: number[] = [];
  for (let i = 0; i < RUNS; i++) raw.push(await rawRedeploy(manager, created.ID));
  await api(manager.socketPath, "DELETE", `/services/${created.ID}`);

  console.log(`  Berth: deploy call -> all ${REPLICAS} replicas of the new release running: ${berth.map((ms) => secs(ms)).join(" ")} s`);
  console.log(
    `  raw:   docker service update --force -> update completed, ${REPLICAS} new tasks running: ${raw.map((ms) => secs(ms)).join(" ")} s`,
  );
  console.log(
    `  median: Berth ${secs(median(berth))} s, raw ${secs(median(raw))} s, ratio ${(median(berth) / median(raw)).toFixed(2)} (the rolling update itself is Swarm's in both)`,
  );
  await must("services.delete", client.mutate("services.delete", { serviceId }));
} finally {
  await app?.close();
  await engines.close();
  // The swarm went with its nodes: its rows go too, so the database can serve another run.
  const db = createDb(env.DATABASE_URL);
  await db.cluster.deleteMany({});
  await db.server.deleteMany({ where: { kind: "tls" } });
  await db.$disconnect();
}
process.exit(0);
