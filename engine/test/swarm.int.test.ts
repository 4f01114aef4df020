/**
 * Swarm mode on a single-node swarm this file initialises (on 127.0.0.1) and leaves again.
 * Other engineers share this engine: the swarm exists only while this file runs, and if a
 * swarm was already there it is used and left alone.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DockerEngine } from "../src/index.ts";
import {
  buildHelloImage,
  eventually,
  HELLO_IMAGE,
  rawDocker,
  rejectionOf,
  releaseFactory,
  TEST_RUN_LABEL,
  uniqueId,
} from "./support/hello-image.ts";

const engine = new DockerEngine();
const docker = rawDocker();
const teamId = uniqueId("team");
const newRelease = releaseFactory(teamId);
let initialised = false;
const serviceIds: string[] = [];
const networks: string[] = [];
const clients: string[] = [];

beforeAll(async () => {
  await buildHelloImage(engine);
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string } };
  if (info.Swarm?.LocalNodeState !== "active") {
    await docker.swarmInit({ ListenAddr: "127.0.0.1", AdvertiseAddr: "127.0.0.1" });
    initialised = true;
  }
});

afterAll(async () => {
  const problems: string[] = [];
  for (const id of clients)
    await docker
      .getContainer(id)
      .remove({ force: true })
      .catch((e: unknown) => problems.push(String(e)));
  for (const id of serviceIds) await engine.removeSwarmService(id).catch((e: unknown) => problems.push(String(e)));
  // Tasks take a moment to go; the overlay network can only be removed after them.
  await sleep(2_000);
  for (const n of networks) {
    await eventually(
      async () =>
        docker
          .getNetwork(n)
          .remove()
          .then(
            () => true,
            (e: { statusCode?: number }) => (e.statusCode === 404 ? true : undefined),
          ),
      20_000,
    ).catch((e: unknown) => problems.push(String(e)));
  }
  if (initialised) await docker.swarmLeave({ force: true });
  if (problems.length > 0) throw new Error(`swarm cleanup: ${problems.join("; ")}`);
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
  clients.push(c.id);
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

describe("Swarm mode (single-node swarm)", () => {
  it("runs a replicated service over the overlay, updates it start-first, and a failing health check rolls back while the old release serves", async () => {
    expect(await engine.isSwarmManager()).toBe(true);
    const spec = newRelease({
      env: { GREETING: "v1" },
      replicas: 2,
      healthCheck: { type: "http", path: "/", intervalMs: 200, retries: 2 },
    });
    serviceIds.push(spec.owner.serviceId);
    const first = await engine.ensureSwarmService(spec, { graceSeconds: 2 });
    networks.push(first.network);
    expect(first.changed).toBe(true);
    const service = (await docker.getService(first.name).inspect()) as {
      Spec: { UpdateConfig: { Order: string; FailureAction: string }; Mode: { Replicated: { Replicas: number } } };
    };
    expect(service.Spec.UpdateConfig).toMatchObject({ Order: "start-first", FailureAction: "rollback" });
    expect(service.Spec.Mode.Replicated.Replicas).toBe(2);

    const client = await startClient(first.network, "hello");
    await eventually(async () => ((await clientLines(client)).includes("v1") ? true : undefined), 20_000);

    const v2 = { ...spec, deploymentId: uniqueId("d"), env: { GREETING: "v2" } };
    expect((await engine.ensureSwarmService(v2, { graceSeconds: 2 })).changed).toBe(true);
    await eventually(async () => ((await clientLines(client)).at(-1) === "v2" ? true : undefined), 20_000).catch(async (e: unknown) => {
      throw new Error(`${String(e)}; last lines: ${(await clientLines(client)).slice(-12).join(" | ")}`);
    });
    expect((await engine.ensureSwarmService(v2, { graceSeconds: 2 })).changed).toBe(false);

    const broken = {
      ...spec,
      deploymentId: uniqueId("d"),
      env: { GREETING: "v3" },
      healthCheck: { type: "http" as const, path: "/missing", intervalMs: 200, retries: 2 },
    };
    const err = await rejectionOf(() => engine.ensureSwarmService(broken, { graceSeconds: 2, readyTimeoutMs: 60_000 }));
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
  });

  it("refuses a same-named Swarm service that Berth does not own, and removes only Berth's", async () => {
    const spec = newRelease();
    serviceIds.push(spec.owner.serviceId);
    const name = `berth-hello-${spec.owner.serviceId.slice(0, 8)}`;
    const foreign = await docker.createService({
      Name: name,
      Labels: { [TEST_RUN_LABEL]: teamId },
      TaskTemplate: { ContainerSpec: { Image: HELLO_IMAGE } },
      Mode: { Replicated: { Replicas: 0 } },
    });
    try {
      expect((await rejectionOf(() => engine.ensureSwarmService(spec))).code).toBe("CONFLICT");
      expect(await engine.removeSwarmService(spec.owner.serviceId)).toEqual([]);
      expect((await docker.getService(foreign.id).inspect()).ID).toBe(foreign.id);
    } finally {
      await docker.getService(foreign.id).remove();
    }
  });
});
