/**
 * Benchmark: time from the deploy call (tRPC over HTTP) to the service answering HTTP 200,
 * next to a raw baseline measured in the same run: create + start a container through the
 * Engine API (what `docker run -d` does), poll its published port for 200, remove it.
 * Berth's stage medians say where its time went: the deploy call (auth, config snapshot,
 * enqueue, audit), queue (queued -> claimed), release (claimed -> recorded: image, network,
 * container create + start, health gate; the deployment's own releaseMs), recorded+seen, 200.
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/deploy-latency.ts [runs]
 */
import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { requireTestImage, TEST_IMAGE, testDeps } from "../test/harness.ts";
import { Client, startHttp } from "../test/http-harness.ts";
import type { DockerEngine } from "@berth/engine";
import { median, secs, stageMedians, type Stages, untilHttp200 } from "./bench-util.ts";

const runs = Number(process.argv[2] ?? 7);
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });

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
  const stages: Stages[] = [];
  await rawRun(); // warm-up
  for (let i = 0; i < runs; i++) {
    raw.push(await rawRun());
    const serviceId = (
      await client.mutate("services.create", { projectId, name: `b${i}`, image: TEST_IMAGE, containerPort: 8080, env: [] })
    ).data.id as string;
    serviceIds.push(serviceId);
    const started = performance.now();
    const { deploymentId } = (await client.mutate("services.deploy", { serviceId })).data as { deploymentId: string };
    const answered = performance.now();
    for (;;) {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      if (["failed", "timed_out", "cancelled"].includes(d.status)) throw new Error(`deploy ${d.status}: ${d.error}`);
      if (d.hostPort) {
        const seen = performance.now();
        await untilHttp200(d.hostPort);
        const elapsed = performance.now() - started;
        berth.push(elapsed);
        // Wall-clock stamps of the database and this process agree (one host).
        const queue = (d.startedAt?.getTime() ?? NaN) - d.createdAt.getTime();
        const call = answered - started;
        stages.push({
          call,
          queue,
          release: d.releaseMs ?? NaN,
          "recorded+seen": seen - started - call - queue - (d.releaseMs ?? 0),
          "200": elapsed - (seen - started),
        });
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await client.mutate("services.delete", { serviceId });
  }

  const mRaw = median(raw);
  const mBerth = median(berth);
  console.log(`deploy-to-HTTP-200, ${runs} runs each (image ${TEST_IMAGE})`);
  console.log(`  raw Engine API run + poll: median ${(mRaw / 1000).toFixed(3)} s  [${raw.map(secs).join(", ")}]`);
  console.log(`  Berth deploy call:         median ${(mBerth / 1000).toFixed(3)} s  [${berth.map(secs).join(", ")}]`);
  console.log(`  ratio Berth / raw: ${(mBerth / mRaw).toFixed(2)}`);
  console.log(`  stage medians, Berth: ${stageMedians(stages)}`);

  await worker.stop();
  for (const id of serviceIds) await deps.engine.removeService(id);
  await io.close();
  server.close();
  await deps.db.$disconnect();
}

await main();
