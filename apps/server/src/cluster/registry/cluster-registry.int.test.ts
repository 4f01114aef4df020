import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { encodeRegistryAuth, SwarmCluster } from "@berth/engine";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../../test/engine-nodes.ts";
import { seedUser, testDeps } from "../../../test/harness.ts";
import type { Actor } from "../../teams/access.ts";
import { createCluster } from "../create-cluster.ts";
import { joinCluster } from "../join-cluster.ts";
import { ensureClusterRegistry } from "./ensure-cluster-registry.ts";
import { pushToClusterRegistry } from "./push-to-cluster-registry.ts";
import type { ClusterRegistryConfig } from "./registry-config.ts";
import { storedRegistryCredentials } from "./registry-credentials.ts";

/**
 * The cluster registry on a real two-node swarm made of harness engines (test/engine-nodes.ts;
 * the host's shared engine never enters swarm mode). An image that exists only on the manager is
 * pushed through Berth, and a Swarm task of it, pinned to the worker (which never had the image),
 * runs there: the worker pulled it by digest from 127.0.0.1:<port> through its own forwarder.
 */
const deps = testDeps();
const tag = randomUUID().slice(0, 8);
const REGISTRY_IMAGE = "berth-test/registry:2";
const SOURCE_IMAGE = "berth-test/hello:latest";
const config: ClusterRegistryConfig = {
  image: REGISTRY_IMAGE,
  forwarderImage: REGISTRY_IMAGE,
  port: 20_000 + Math.floor(Math.random() * 20_000),
  encrypted: false,
};
let engines: EngineNodes;
let actor: Actor;
const ids: string[] = [];

const node = (i: number): EngineNode => engines.nodes[i]!;

/** The test's own Engine API call on a node's socket (JSON in and out, extra headers). */
function nodeApi(
  i: number,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        socketPath: node(i).socketPath,
        method,
        path: `/v1.41${path}`,
        headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown = text;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, json });
        });
      },
    );
    req.on("error", reject);
    req.end(payload);
  });
}

/** A plain HTTP GET to the registry port published on a node's bridge address. */
function registryGet(i: number, path: string, auth?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: node(i).address,
        port: config.port,
        path,
        headers: auth ? { authorization: `Basic ${Buffer.from(auth).toString("base64")}` } : {},
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  engines = await startEngineNodes(2);
  // Nodes start with no images. The registry image (also the forwarder's) goes to both; the image
  // to ship exists on the manager only.
  await Promise.all([node(0).loadImages([REGISTRY_IMAGE, SOURCE_IMAGE]), node(1).loadImages([REGISTRY_IMAGE])]);
  ({ actor } = await seedUser(deps.db));
  actor = { ...actor, instanceRole: "owner" };
  for (const [i, name] of [
    [0, "mgr"],
    [1, "wrk"],
  ] as const) {
    const row = await deps.db.server.create({
      data: { name: `${name}-${tag}`, kind: "socket", socketPath: node(i).socketPath, state: "reachable" },
    });
    ids.push(row.id);
  }
  await createCluster(deps, actor, { serverId: ids[0]!, advertiseAddress: node(0).address });
  await joinCluster(deps, actor, { serverId: ids[1]!, role: "worker", advertiseAddress: node(1).address });
});

afterAll(async () => {
  await deps.db.cluster.deleteMany({ where: { manager: { name: { endsWith: tag } } } });
  await deps.db.server.deleteMany({ where: { name: { endsWith: tag } } });
  await engines?.close();
  await deps.db.$disconnect();
});

describe("cluster registry", () => {
  it("ships an image that only the manager has to a worker, by digest, with sealed generated credentials", async () => {
    const workerNodeId = (await deps.db.server.findUniqueOrThrow({ where: { id: ids[1]! } })).swarmNodeId!;
    expect((await nodeApi(1, "GET", `/images/${encodeURIComponent(SOURCE_IMAGE)}/json`)).status).toBe(404);

    const pushed = await pushToClusterRegistry(deps, config, { image: SOURCE_IMAGE, repository: `hello-${tag}`, tag: "t1" });
    expect(pushed.reference).toMatch(new RegExp(`^127\\.0\\.0\\.1:${config.port}/berth/hello-${tag}@sha256:[a-f0-9]{64}$`));
    expect(pushed.reference.endsWith(pushed.digest)).toBe(true);

    // Credentials: generated, sealed at rest, never the plain password in the row.
    const row = await deps.db.cluster.findUniqueOrThrow({ where: { id: 1 } });
    const auth = pushed.registry.auth as { username: string; password: string; serveraddress: string };
    expect(row.registryPort).toBe(config.port);
    expect(row.registryPassword).toMatch(/^berth:v1:/);
    expect(row.registryPassword).not.toContain(auth.password);
    expect(deps.box.open(row.registryPassword!)).toBe(auth.password);
    expect(auth.password.length).toBeGreaterThanOrEqual(40);

    // A Swarm task pinned to the worker, created with the registry auth (X-Registry-Auth): the
    // worker's engine pulls the digest from 127.0.0.1:<port> through its own forwarder.
    const serviceName = `reg-pull-${tag}`;
    const created = await nodeApi(
      0,
      "POST",
      "/services/create",
      {
        Name: serviceName,
        Labels: { "io.berth.test": tag },
        TaskTemplate: {
          ContainerSpec: { Image: pushed.reference },
          Placement: { Constraints: [`node.id == ${workerNodeId}`] },
          RestartPolicy: { Condition: "none" },
        },
        Mode: { Replicated: { Replicas: 1 } },
      },
      { "X-Registry-Auth": encodeRegistryAuth({ username: auth.username, password: auth.password, serveraddress: auth.serveraddress }) },
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    try {
      const deadline = Date.now() + 120_000;
      let tasks: Array<{ NodeID?: string; Status?: { State?: string; Err?: string } }> = [];
      while (Date.now() < deadline) {
        const filters = encodeURIComponent(JSON.stringify({ service: [serviceName] }));
        tasks = (await nodeApi(0, "GET", `/tasks?filters=${filters}`)).json as typeof tasks;
        if (tasks.some((t) => t.Status?.State === "running")) break;
        await sleep(500);
      }
      expect(tasks.map((t) => `${t.Status?.State} ${t.Status?.Err ?? ""}`)).toContain("running ");
      expect(tasks.find((t) => t.Status?.State === "running")?.NodeID).toBe(workerNodeId);
      const onWorker = await nodeApi(1, "GET", `/images/${encodeURIComponent(pushed.reference)}/json`);
      expect(onWorker.status).toBe(200);
      expect((onWorker.json as { RepoDigests: string[] }).RepoDigests).toContain(pushed.reference);
    } finally {
      await nodeApi(0, "DELETE", `/services/${serviceName}`);
    }
  });

  it("a Swarm service released through the engine hands the registry auth to its nodes: the worker pulls the private image", async () => {
    const workerNodeId = (await deps.db.server.findUniqueOrThrow({ where: { id: ids[1]! } })).swarmNodeId!;
    // A repository the worker has never pulled: its engine must fetch the manifest, with the auth.
    const pushed = await pushToClusterRegistry(deps, config, { image: SOURCE_IMAGE, repository: `released-${tag}`, tag: "t1" });
    const serviceId = `s-released-${tag}`;
    const spec = {
      owner: { teamId: `t-${tag}`, projectId: `p-${tag}`, serviceId },
      deploymentId: `d-released-${tag}`,
      serviceName: "released",
      image: pushed.reference,
      command: ["sleep", "3600"],
      env: {},
      placementConstraints: ["node.role==worker"],
    };
    try {
      await node(0).services.ensureSwarmService(spec, { registryAuth: pushed.registry.auth, readyTimeoutMs: 120_000, graceSeconds: 1 });
      const running = (await node(0).services.swarmServiceTasks(serviceId)).filter((t) => t.state === "running");
      expect(running.map((t) => t.nodeId)).toEqual([workerNodeId]);
      expect((await nodeApi(1, "GET", `/images/${encodeURIComponent(pushed.reference)}/json`)).status).toBe(200);
    } finally {
      await node(0).services.removeSwarmService(serviceId);
    }
  });

  it("refuses a wrong credential and answers nothing without credentials", async () => {
    const registry = await ensureClusterRegistry(deps, config);
    const auth = registry.auth as { username: string; password: string; serveraddress: string };
    const worker = new SwarmCluster({ socketPath: node(1).socketPath });
    await worker.registryLogin(auth);
    const wrong = { ...auth, password: `${auth.password}x` };
    const refused = await worker.registryLogin(wrong).then(
      () => null,
      (err: unknown) => err as Error & { code?: string },
    );
    expect(refused?.code).toBe("INVALID");
    expect(refused?.message).toMatch(/401|unauthorized/i);
    expect(refused?.message).not.toContain(auth.password);

    // A pull by the worker's engine with the wrong password fails (it never had this image).
    const other = `${registry.address}/berth/hello-${tag}:t1`;
    const pull = await node(1)
      .engine.ensureImage(other, { registryAuth: wrong, pull: "always", timeoutMs: 60_000 })
      .then(
        () => null,
        (err: unknown) => err as Error & { code?: string },
      );
    expect(pull?.code).toBe("IMAGE_UNAVAILABLE");
    expect(pull?.message).not.toContain(auth.password);
    expect((await nodeApi(1, "GET", `/images/${encodeURIComponent(other)}/json`)).status).toBe(404);

    // The forwarder's port as anyone on the node's network sees it: the registry wants credentials.
    const manifest = `/v2/berth/hello-${tag}/manifests/t1`;
    expect(await registryGet(1, "/v2/")).toBe(401);
    expect(await registryGet(1, manifest)).toBe(401);
    expect(await registryGet(1, "/v2/", `${auth.username}:${wrong.password}`)).toBe(401);
    expect(await registryGet(0, "/v2/", `${auth.username}:${auth.password}`)).toBe(200);
  });

  it("ensuring again changes nothing", async () => {
    const before = (await nodeApi(0, "GET", "/services/berth-registry")).json as { Version: { Index: number } };
    const forwarderBefore = (await nodeApi(0, "GET", "/services/berth-registry-forwarder")).json as { Version: { Index: number } };
    const again = await ensureClusterRegistry(deps, config);
    expect(await storedRegistryCredentials(deps)).toEqual({ port: config.port, auth: again.auth });
    const after = (await nodeApi(0, "GET", "/services/berth-registry")).json as { Version: { Index: number } };
    const forwarderAfter = (await nodeApi(0, "GET", "/services/berth-registry-forwarder")).json as { Version: { Index: number } };
    expect(after.Version.Index).toBe(before.Version.Index);
    expect(forwarderAfter.Version.Index).toBe(forwarderBefore.Version.Index);
    const secrets = (await nodeApi(0, "GET", "/secrets")).json as Array<{ Spec: { Name: string } }>;
    expect(secrets.filter((s) => s.Spec.Name.startsWith("berth-registry-htpasswd-"))).toHaveLength(1);
  });
});
