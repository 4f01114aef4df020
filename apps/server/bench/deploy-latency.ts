/**
 * Benchmark: time from the deploy call (tRPC over HTTP) to the service answering HTTP 200,
 * next to a raw baseline measured in the same run: create + start a container through the
 * Engine API (what `docker run -d` does), poll its published port for 200, remove it.
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/deploy-latency.ts [runs]
 */
import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { requireTestImage, TEST_IMAGE, testDeps } from "../test/harness.ts";
import { Client, startHttp } from "../test/http-harness.ts";
import type { DockerEngine } from "@berth/engine";

const runs = Number(process.argv[2] ?? 7);
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });

async function untilHttp200(port: number): Promise<void> {
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function rawRun(): Promise<number> {
  const started = performance.now();
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    HostConfig: { PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] }, Init: true },
    ExposedPorts: { "8080/tcp": {} },
  });
  await container.start();
  const info = await container.inspect();
  await untilHttp200(Number(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort));
  const elapsed = performance.now() - started;
  await container.remove({ force: true });
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const deps = testDeps();
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { signupOpen: true }, update: { signupOpen: true } });
  const { server, base, io } = await startHttp(deps);
  const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 1000 });
  worker.start();

  const client = new Client(base);
  await client.signUp(`bench-${randomUUID().slice(0, 8)}@example.test`);
  const teamId = (await client.query("me.get")).data.teams[0].id as string;
  const projectId = (await client.mutate("projects.create", { teamId, name: `bench-${randomUUID().slice(0, 6)}` })).data.id as string;
  const serviceIds: string[] = [];

  const berth: number[] = [];
  const raw: number[] = [];
  await rawRun(); // warm-up
  for (let i = 0; i < runs; i++) {
    raw.push(await rawRun());
    const serviceId = (
      await client.mutate("services.create", { projectId, name: `b${i}`, image: TEST_IMAGE, containerPort: 8080, env: [] })
    ).data.id as string;
    serviceIds.push(serviceId);
    const started = performance.now();
    const { deploymentId } = (await client.mutate("services.deploy", { serviceId })).data as { deploymentId: string };
    let port: number | null = null;
    while (!port) {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      if (["failed", "timed_out", "cancelled"].includes(d.status)) throw new Error(`deploy ${d.status}: ${d.error}`);
      port = d.hostPort;
      if (!port) await new Promise((r) => setTimeout(r, 10));
    }
    await untilHttp200(port);
    berth.push(performance.now() - started);
    await client.mutate("services.delete", { serviceId });
  }

  const mRaw = median(raw);
  const mBerth = median(berth);
  console.log(`deploy-to-HTTP-200, ${runs} runs each (image ${TEST_IMAGE})`);
  console.log(`  raw Engine API run + poll: median ${(mRaw / 1000).toFixed(3)} s  [${raw.map((v) => (v / 1000).toFixed(2)).join(", ")}]`);
  console.log(
    `  Berth deploy call:         median ${(mBerth / 1000).toFixed(3)} s  [${berth.map((v) => (v / 1000).toFixed(2)).join(", ")}]`,
  );
  console.log(`  ratio Berth / raw: ${(mBerth / mRaw).toFixed(2)}`);

  await worker.stop();
  for (const id of serviceIds) await deps.engine.removeService(id);
  await io.close();
  server.close();
  await deps.db.$disconnect();
}

await main();
