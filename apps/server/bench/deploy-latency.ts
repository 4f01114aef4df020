/**
 * Benchmark: time from the deploy call (tRPC over HTTP) to the service answering HTTP 200,
 * next to a raw baseline measured in the same run: create + start a container through the
 * Engine API (what `docker run -d` does), poll its published port for 200, remove it.
 * Berth's stage medians say where its time went: the deploy call (auth, config snapshot,
 * enqueue, audit), queue (queued -> claimed), release (claimed -> recorded: image, network,
 * container create + start, health gate; the deployment's own releaseMs), recorded+seen (until
 * the status event a dashboard hears), 200.
 *
 * Berth runs every service on its project's user-defined network (services reach each other by
 * name), which costs the engine more than the default bridge the raw run uses: two more raw
 * lines measure the same run + poll on a user-defined network made just before (network create
 * included) and on one that exists, and the goals (<= 1.2x) compare like with like.
 * Each run deploys a new service in an empty project (its network went with the previous run's
 * service, so it is made again: a project's first deploy), then deploys it once more (a
 * redeploy: on the existing network, beside the running release, which is retired after the
 * deployment is recorded live), and deploys a new service in a project whose network exists
 * (another service runs there: the usual first deploy of a service).
 * Each timed deploy starts SETTLE_MS after the one before answered 200, as each raw run starts on
 * an idle engine: a deployment's job goes on after its release answers (the old release's stop,
 * ~150 ms for a process that exits at once; image retention), and a deploy timed on top of that
 * measured the two sharing 2 cores (a redeploy 1.23-1.34x instead of ~1.19x).
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/deploy-latency.ts [runs]
 */
import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { requireTestImage, TEST_IMAGE, type TestDeps, testDeps } from "../test/harness.ts";
import { Client, startHttp } from "../test/http-harness.ts";
import type { DockerEngine } from "@berth/engine";
import { deploymentEnds, median, secs, stageMedians, type Stages, untilHttp200, untilServing } from "./bench-util.ts";

// 21 runs: a container's start alone varies by +-50 ms, as much as Berth's own overhead, and with 11
// runs whole runs of the benchmark put one build's ratios up to 0.1 apart.
const runs = Number(process.argv[2] ?? 21);
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });

/** run + poll on the default bridge, or on a user-defined network (made first when `create`). */
async function rawRun(network?: { name: string; create: boolean }): Promise<number> {
  const started = performance.now();
  if (network?.create) await docker.createNetwork({ Name: network.name, Driver: "bridge", CheckDuplicate: true });
  const container = await docker.createContainer({
    Image: TEST_IMAGE,
    HostConfig: {
      PortBindings: { "8080/tcp": [{ HostIp: "127.0.0.1", HostPort: "" }] },
      Init: true,
      ...(network ? { NetworkMode: network.name } : {}),
    },
    ExposedPorts: { "8080/tcp": {} },
    ...(network ? { NetworkingConfig: { EndpointsConfig: { [network.name]: { Aliases: ["raw"] } } } } : {}),
  });
  await container.start();
  const info = await container.inspect();
  await untilHttp200(Number(info.NetworkSettings.Ports["8080/tcp"]?.[0]?.HostPort));
  const elapsed = performance.now() - started;
  await container.remove({ force: true });
  if (network?.create) await docker.getNetwork(network.name).remove();
  return elapsed;
}

/** A fresh user-defined network per run: what a project's first deploy must make. */
function rawOnNewNetwork(): Promise<number> {
  return rawRun({ name: `bench-raw-${randomUUID().slice(0, 8)}`, create: true });
}

/** The pause before each timed deploy: the previous deployment's job has ended (see the header). */
const SETTLE_MS = 500;

/** Deploy through the API and wait for the new release to answer 200; its time and stages. */
async function timedDeploy(
  client: Client,
  deps: TestDeps,
  ended: (deploymentId: string) => Promise<string>,
  serviceId: string,
): Promise<{ elapsed: number; stages: Stages }> {
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  const started = performance.now();
  const { deploymentId } = (await client.mutate("services.deploy", { serviceId })).data as { deploymentId: string };
  const answered = performance.now();
  const { deployment: d, seen } = await untilServing(deps, ended, deploymentId);
  const elapsed = performance.now() - started;
  // Wall-clock stamps of the database and this process agree (one host).
  const queue = (d.startedAt?.getTime() ?? NaN) - d.createdAt.getTime();
  const call = answered - started;
  const stages = {
    call,
    queue,
    release: d.releaseMs ?? NaN,
    "recorded+seen": seen - started - call - queue - (d.releaseMs ?? 0),
    "200": elapsed - (seen - started),
  };
  return { elapsed, stages };
}

function line(label: string, values: number[]): string {
  return `  ${label.padEnd(58)} median ${(median(values) / 1000).toFixed(3)} s  [${values.map(secs).join(", ")}]`;
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
  const ended = deploymentEnds(deps);
  // A project whose network stays: one service runs there for the whole benchmark.
  const busyProjectId = (await client.mutate("projects.create", { teamId, name: `bench-${randomUUID().slice(0, 6)}` })).data.id as string;
  const create = async (inProject: string, name: string): Promise<string> => {
    const id = (await client.mutate("services.create", { projectId: inProject, name, image: TEST_IMAGE, containerPort: 8080, env: [] }))
      .data.id as string;
    serviceIds.push(id);
    return id;
  };
  const keeper = await create(busyProjectId, "keeper");
  await timedDeploy(client, deps, ended, keeper);

  const berth: number[] = [];
  const raw: number[] = [];
  const stages: Stages[] = [];
  const rawNewNet: number[] = [];
  const rawOldNet: number[] = [];
  const redeploy: number[] = [];
  const redeployStages: Stages[] = [];
  const inNetworked: number[] = [];
  const inNetworkedStages: Stages[] = [];
  const oldNet = `bench-raw-${randomUUID().slice(0, 8)}`;
  await docker.createNetwork({ Name: oldNet, Driver: "bridge", CheckDuplicate: true });
  await rawRun(); // warm-up
  for (let i = 0; i < runs; i++) {
    raw.push(await rawRun());
    rawNewNet.push(await rawOnNewNetwork());
    rawOldNet.push(await rawRun({ name: oldNet, create: false }));
    const serviceId = await create(projectId, `b${i}`);
    const first = await timedDeploy(client, deps, ended, serviceId);
    berth.push(first.elapsed);
    stages.push(first.stages);
    const again = await timedDeploy(client, deps, ended, serviceId);
    redeploy.push(again.elapsed);
    redeployStages.push(again.stages);
    await client.mutate("services.delete", { serviceId });
    const sibling = await create(busyProjectId, `s${i}`);
    const beside = await timedDeploy(client, deps, ended, sibling);
    inNetworked.push(beside.elapsed);
    inNetworkedStages.push(beside.stages);
    await client.mutate("services.delete", { serviceId: sibling });
  }
  await docker.getNetwork(oldNet).remove();

  const mRaw = median(raw);
  const mBerth = median(berth);
  const ratio = (a: number[], b: number[]) => (median(a) / median(b)).toFixed(2);
  console.log(`deploy-to-HTTP-200, ${runs} runs each (image ${TEST_IMAGE})`);
  console.log(line("raw Engine API run + poll (default bridge):", raw));
  console.log(line("raw run + poll on a new user network (create included):", rawNewNet));
  console.log(line("raw run + poll on an existing user network:", rawOldNet));
  console.log(line("Berth, a project's first deploy (its network made):", berth));
  console.log(`    ratio / raw on a new user network: ${ratio(berth, rawNewNet)} (goal <= 1.2)`);
  console.log(`    stage medians: ${stageMedians(stages)}`);
  console.log(line("Berth, a new service in a project with a network:", inNetworked));
  console.log(`    ratio / raw on an existing user network: ${ratio(inNetworked, rawOldNet)} (goal <= 1.2)`);
  console.log(`    stage medians: ${stageMedians(inNetworkedStages)}`);
  console.log(line("Berth redeploy (old release running, retired after):", redeploy));
  console.log(
    `    ratio / raw on an existing user network: ${ratio(redeploy, rawOldNet)} (goal <= 1.2; the old release stops after the record)`,
  );
  console.log(`    stage medians: ${stageMedians(redeployStages)}`);
  console.log(
    `  against the default bridge (what a project network costs the engine included): first deploy ${(mBerth / mRaw).toFixed(2)}, ` +
      `in a project with a network ${ratio(inNetworked, raw)}, redeploy ${ratio(redeploy, raw)}`,
  );

  await client.mutate("services.delete", { serviceId: keeper }); // its project's network goes with it
  await worker.stop();
  for (const id of serviceIds) await deps.engine.removeService(id);
  await io.close();
  server.close();
  await deps.db.$disconnect();
}

await main();
