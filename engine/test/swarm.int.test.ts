/**
 * Swarm mode on a single-node swarm of a Docker Engine this file starts for itself (the test
 * harness's engine nodes: a dockerd in its own network namespace), so the host's shared engine
 * never enters swarm mode and a Berth running on the host is never disturbed.
 */
import { setTimeout as sleep } from "node:timers/promises";
import Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEngineNodes, type EngineNode, type EngineNodes } from "../../apps/server/test/engine-nodes.ts";
import { DockerEngine, SwarmServices } from "../src/index.ts";
import {
  buildHelloImage,
  buildShellLessImage,
  eventually,
  HELLO_IMAGE,
  rawDocker,
  rejectionOf,
  releaseFactory,
  TEST_RUN_LABEL,
  uniqueId,
} from "./support/hello-image.ts";

const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
let cluster: EngineNodes;
let node: EngineNode;
let engine: DockerEngine;
let services: SwarmServices;
let docker: Docker;

beforeAll(async () => {
  // The hello image is built on the host's engine and copied onto the node (it starts with none).
  await buildHelloImage(new DockerEngine());
  cluster = await startEngineNodes(1);
  node = cluster.nodes[0]!;
  engine = node.engine;
  services = node.services;
  docker = new Docker({ socketPath: node.socketPath, version: "v1.41" });
  await node.loadImages([HELLO_IMAGE]);
  await docker.swarmInit({ ListenAddr: `${node.address}:2377`, AdvertiseAddr: node.address });
});

// The node goes with everything on it: its swarm, services, overlay networks and containers.
afterAll(async () => {
  await cluster?.close();
});

/** A client on the overlay network that fetches http://<alias>:8080/ in a loop and logs each answer (or FAIL). */
async function startClient(network: string, alias: string): Promise<string> {
  // busybox's `wget -T` crashes (static build); bound each request with `timeout` instead.
  const script = `while true; do timeout 3 wget -q -O - http://${alias}:8080/ 2>/dev/null || echo FAIL; sleep 0.05; done`;
  const c = await docker.createContainer({
    Image: HELLO_IMAGE,
    Cmd: ["sh", "-c", script],
    Labels: { [TEST_RUN_LABEL]: teamId },
    HostConfig: { NetworkMode: network, Init: true },
  });
  await c.start();
  return c.id;
}

async function clientLines(id: string): Promise<string[]> {
  const raw = await docker.getContainer(id).logs({ stdout: true, stderr: false, follow: false });
  return Buffer.from(raw as unknown as Buffer)
    .toString("latin1")
    .split("\n")
    .map((l) => l.replace(/^[\s\S]{8}/, "").trim())
    .filter(Boolean);
}

describe("Swarm mode (a single-node swarm on an engine of its own)", () => {
  it("runs a replicated service over the overlay, updates it start-first, and a failing health check rolls back while the old release serves", async () => {
    expect(await services.isSwarmManager()).toBe(true);
    const spec = newRelease({
      env: { GREETING: "v1" },
      replicas: 2,
      healthCheck: { type: "http", path: "/", intervalMs: 200, retries: 2 },
    });
    const first = await services.ensureSwarmService(spec, { graceSeconds: 2 });
    expect(first.changed).toBe(true);
    const service = (await docker.getService(first.name).inspect()) as {
      Spec: { UpdateConfig: { Order: string; FailureAction: string }; Mode: { Replicated: { Replicas: number } } };
    };
    expect(service.Spec.UpdateConfig).toMatchObject({ Order: "start-first", FailureAction: "rollback" });
    expect(service.Spec.Mode.Replicated.Replicas).toBe(2);

    const client = await startClient(first.network, "hello");
    await eventually(async () => ((await clientLines(client)).includes("v1") ? true : undefined), 20_000);

    const v2 = { ...spec, deploymentId: uniqueId("d"), env: { GREETING: "v2" } };
    expect((await services.ensureSwarmService(v2, { graceSeconds: 2 })).changed).toBe(true);
    await eventually(async () => ((await clientLines(client)).at(-1) === "v2" ? true : undefined), 20_000).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; last lines: ${(await clientLines(client)).slice(-12).join(" | ")}`);
    });
    expect((await services.ensureSwarmService(v2, { graceSeconds: 2 })).changed).toBe(false);

    const broken = {
      ...spec,
      deploymentId: uniqueId("d"),
      env: { GREETING: "v3" },
      healthCheck: { type: "http" as const, path: "/missing", intervalMs: 200, retries: 2 },
    };
    const err = await rejectionOf(() => services.ensureSwarmService(broken, { graceSeconds: 2, readyTimeoutMs: 60_000 }));
    expect(err.code).toBe("HEALTHCHECK_FAILED");
    expect(err.message).toMatch(/rolled back/);
    const after = (await docker.getService(first.name).inspect()) as { Spec: { Labels: Record<string, string> } };
    expect(after.Spec.Labels["io.berth.deployment"]).toBe(v2.deploymentId);
    await sleep(1_000);
    const lines = await clientLines(client);
    expect(lines.at(-1)).toBe("v2");
    expect(lines).not.toContain("v3");
    const fails = lines.filter((l) => l === "FAIL").length;
    expect(lines.length).toBeGreaterThan(20);
    expect(fails).toBe(0);
    // A deadline, not a duration: a fresh swarm's first service, one update and one rollback, each
    // gated on health, took 36 s, 48 s and 29 s at load 20 on two cores (a few seconds when idle).
  }, 240_000);

  it("runs a shell-less image with a port and no health check (no default probe it could not run), lists many services' running tasks at once, and never lists a task as a release container", async () => {
    const image = `berth-test/${uniqueId("no-shell-")}:1`;
    await buildShellLessImage(new DockerEngine(), image);
    await node.loadImages([image]);
    const spec = newRelease({ image, env: {}, replicas: 2 });
    const release = await services.ensureSwarmService(spec, { graceSeconds: 2, readyTimeoutMs: 60_000 });
    const service = (await docker.getService(release.name).inspect()) as {
      Spec: { TaskTemplate: { ContainerSpec: { Healthcheck?: unknown } } };
    };
    expect(service.Spec.TaskTemplate.ContainerSpec.Healthcheck).toBeUndefined();
    const other = newRelease();
    await services.ensureSwarmService(other, { graceSeconds: 2 });
    const absent = uniqueId("s");
    const tasks = await services.swarmRunningTasks([spec.owner.serviceId, other.owner.serviceId, absent]);
    expect(tasks.get(spec.owner.serviceId)?.map((t) => [t.state, t.deploymentId])).toEqual([
      ["running", spec.deploymentId],
      ["running", spec.deploymentId],
    ]);
    expect(tasks.get(other.owner.serviceId)?.map((t) => t.deploymentId)).toEqual([other.deploymentId]);
    expect(tasks.get(absent)).toEqual([]);
    // The task containers carry Berth's labels, but they are Swarm's: this engine's release
    // listing (what its reconcile, stop, start and retirement act on) leaves them out, so an
    // engine that is also a Swarm node never removes or restarts a task as a stray release.
    const labelled = await docker.listContainers({ all: true, filters: { label: [`io.berth.service=${spec.owner.serviceId}`] } });
    expect(labelled).toHaveLength(2);
    expect(await engine.listManaged({ serviceId: spec.owner.serviceId })).toEqual([]);
    expect((await engine.listManaged()).filter((c) => c.owner.serviceId === spec.owner.serviceId)).toEqual([]);
    await services.removeSwarmService(spec.owner.serviceId);
    await services.removeSwarmService(other.owner.serviceId);
    // Built on the host's engine for this test alone: not left there.
    await rawDocker().getImage(image).remove({ force: true });
  });

  it("refuses a same-named Swarm service that Berth does not own, and removes only Berth's", async () => {
    const spec = newRelease();
    const name = `berth-hello-${spec.owner.serviceId.slice(0, 8)}`;
    const foreign = await docker.createService({
      Name: name,
      Labels: { [TEST_RUN_LABEL]: teamId },
      TaskTemplate: { ContainerSpec: { Image: HELLO_IMAGE } },
      Mode: { Replicated: { Replicas: 0 } },
    });
    try {
      expect((await rejectionOf(() => services.ensureSwarmService(spec))).code).toBe("CONFLICT");
      expect(await services.removeSwarmService(spec.owner.serviceId)).toEqual([]);
      expect((await docker.getService(foreign.id).inspect()).ID).toBe(foreign.id);
    } finally {
      await docker.getService(foreign.id).remove();
    }
  });
});
