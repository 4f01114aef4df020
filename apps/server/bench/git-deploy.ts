/**
 * Benchmark (a): a git deploy through Berth (enqueue -> clone -> build -> release -> HTTP 200)
 * next to a plain `git clone --depth 1 && docker build && docker run -d` + poll for 200 doing
 * the same work, in the same run. Each run pushes a fresh commit, so both build one new layer.
 *
 *   DATABASE_URL=... node --import tsx apps/server/bench/git-deploy.ts [runs]
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { DockerEngine } from "@berth/engine";
import { buildRepository } from "../src/deployments/build-stage.ts";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import { isTerminalStatus } from "../src/deployments/statuses.ts";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { createService } from "../src/services/services.ts";
import { createServiceInput } from "../src/services/service-input.ts";
import { helloDockerfile, startGitFixture } from "../test/git-fixture.ts";
import { requireTestImage, seedUser, testDeps } from "../test/harness.ts";
import { median, secs, untilHttp200 } from "./bench-util.ts";

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 5);

async function rawDeploy(url: string): Promise<number> {
  const dir = await mkdtemp(path.join(tmpdir(), "berth-bench-raw-"));
  const tag = `berth-bench/raw:${randomUUID().slice(0, 8)}`;
  const started = performance.now();
  await run("git", ["clone", "--quiet", "--depth", "1", "--branch", "main", url, path.join(dir, "src")]);
  await run("docker", ["build", "-q", "-t", tag, path.join(dir, "src")], { env: { ...process.env, DOCKER_BUILDKIT: "0" } });
  const { stdout: id } = await run("docker", ["run", "-d", "--init", "-p", "127.0.0.1::8080", tag]);
  const { stdout: port } = await run("docker", ["inspect", "-f", '{{(index (index .NetworkSettings.Ports "8080/tcp") 0).HostPort}}', id.trim()]);
  await untilHttp200(Number(port.trim()));
  const elapsed = performance.now() - started;
  await run("docker", ["rm", "-f", id.trim()]);
  await run("docker", ["rmi", tag]);
  await rm(dir, { recursive: true, force: true });
  return elapsed;
}

async function main(): Promise<void> {
  const deps = testDeps();
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, allowLocalSources: true }, update: { allowLocalSources: true } });
  const fixture = await startGitFixture({ Dockerfile: helloDockerfile("bench-warmup") });
  const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 1000 });
  deps.wakeWorker = worker.wake;
  worker.start();
  const { actor, teamId } = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId, name: `bench-${randomUUID().slice(0, 6)}` } });
  const input = createServiceInput.parse({ projectId: project.id, name: `bench-${randomUUID().slice(0, 6)}`, source: "git", git: { url: fixture.url }, containerPort: 8080 });
  const { id: serviceId } = await createService(deps, actor, input);

  const berthDeploy = async (): Promise<number> => {
    const started = performance.now();
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    for (;;) {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      if (d.status === "succeeded" && d.hostPort) {
        await untilHttp200(d.hostPort);
        return performance.now() - started;
      }
      if (isTerminalStatus(d.status)) throw new Error(`deploy ${d.status}: ${d.error}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  await rawDeploy(fixture.url); // warm-up (page cache, base image)
  await berthDeploy();
  const raw: number[] = [];
  const berth: number[] = [];
  for (let i = 0; i < runs; i++) {
    fixture.commit({ Dockerfile: helloDockerfile(`bench-raw-${i}-${randomUUID()}`) }, `raw ${i}`);
    raw.push(await rawDeploy(fixture.url));
    fixture.commit({ Dockerfile: helloDockerfile(`bench-berth-${i}-${randomUUID()}`) }, `berth ${i}`);
    berth.push(await berthDeploy());
  }

  const ratio = median(berth) / median(raw);
  console.log(`(a) git deploy to HTTP 200, ${runs} runs each (fresh commit per run)`);
  console.log(`  raw git clone + docker build + docker run + poll: median ${secs(median(raw))} s  [${raw.map(secs).join(", ")}]`);
  console.log(`  Berth (queue, clone, build, health-gated release): median ${secs(median(berth))} s  [${berth.map(secs).join(", ")}]`);
  console.log(`  ratio Berth / raw: ${ratio.toFixed(2)} (goal <= 1.2)`);

  await worker.stop();
  await deps.engine.removeService(serviceId);
  await deps.engine.removeRepositoryImages(buildRepository(serviceId));
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await fixture.close();
  await deps.db.$disconnect();
}

await main();
