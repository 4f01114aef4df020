/**
 * Benchmark (a): a git redeploy through Berth (enqueue -> clone -> build -> health-gated
 * release -> old release drained, stopped and removed -> recorded -> HTTP 200) next to a plain
 * `git clone --depth 1 && docker build && docker run -d` script doing the same work in the same
 * run: poll the new container for 200, then `docker stop` + `docker rm` the previous one. Each
 * run pushes a fresh commit, so both build one new layer. Berth fetches into the service's cached
 * checkout (only the new commit; the builder's cache warm), the script clones afresh as a plain
 * script does. The raw figure without the retirement is printed too, and the per-stage medians
 * of both. Goal: Berth at 0.9x the script or less. The repository is an application's size
 * (`APP_FILES` source-like text files beside the Dockerfile, ~6 MB), not a two-file toy: what
 * a clone costs grows with it, what a fetch of one new commit costs does not.
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
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { createService } from "../src/services/services.ts";
import { createServiceInput } from "../src/services/service-input.ts";
import { removeGitCache } from "../src/sources/git-cache.ts";
import { helloDockerfile, startGitFixture } from "../test/git-fixture.ts";
import { requireTestImage, seedUser, testDeps } from "../test/harness.ts";
import { deploymentEnds, median, secs, stageMedians, type Stages, untilHttp200, untilServing } from "./bench-util.ts";

const run = promisify(execFile);
const runs = Number(process.argv[2] ?? 5);
const APP_FILES = 1000;

/** `APP_FILES` files of source-like text (words from a small vocabulary, ~6 KB each), the same every run. */
function appFiles(): Record<string, string> {
  const words = "const let return function import export await async if else for while new this value state error request response".split(
    " ",
  );
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
  const files: Record<string, string> = {};
  for (let i = 0; i < APP_FILES; i++) {
    const lines: string[] = [];
    for (let l = 0; l < 120; l++) lines.push(Array.from({ length: 8 }, () => words[next() % words.length]).join(" ") + ` ${next()};`);
    files[`src/module-${Math.floor(i / 50)}/file-${i}.ts`] = lines.join("\n") + "\n";
  }
  return files;
}

/**
 * The plain script, doing what a Berth redeploy does: clone, build, run the new container,
 * poll it until it answers 200, then stop and remove the previous one (a redeploy replaces
 * the running version). Returns the new container's id; `stages` gets the split, including
 * `200` (the new container answered) so the figure without the retirement can be printed too.
 */
interface RawRelease {
  id: string;
  tag: string;
}

async function rawDeploy(url: string, previous: RawRelease | null, stages: Stages[]): Promise<RawRelease & { elapsed: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), "berth-bench-raw-"));
  const tag = `berth-bench/raw:${randomUUID().slice(0, 8)}`;
  const started = performance.now();
  await run("git", ["clone", "--quiet", "--depth", "1", "--branch", "main", url, path.join(dir, "src")]);
  const cloned = performance.now();
  await run("docker", ["build", "-q", "-t", tag, path.join(dir, "src")], { env: { ...process.env, DOCKER_BUILDKIT: "0" } });
  const built = performance.now();
  const { stdout } = await run("docker", ["run", "-d", "--init", "-p", "127.0.0.1::8080", tag]);
  const id = stdout.trim();
  const { stdout: port } = await run("docker", ["inspect", "-f", '{{(index (index .NetworkSettings.Ports "8080/tcp") 0).HostPort}}', id]);
  await untilHttp200(Number(port.trim()));
  const serving = performance.now();
  if (previous !== null) {
    await run("docker", ["stop", previous.id]);
    await run("docker", ["rm", previous.id]);
  }
  const elapsed = performance.now() - started;
  stages.push({
    clone: cloned - started,
    build: built - cloned,
    "run+200": serving - built,
    "retire old": performance.now() - serving,
    "to 200": serving - started,
  });
  await rm(dir, { recursive: true, force: true });
  // The previous release's image goes after the measurement, as a redeploy script's clean-up would.
  if (previous !== null) await run("docker", ["rmi", previous.tag]);
  return { id, tag, elapsed };
}

async function main(): Promise<void> {
  const deps = testDeps();
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: true },
    update: { allowLocalSources: true },
  });
  const app = appFiles();
  const fixture = await startGitFixture({ Dockerfile: helloDockerfile("bench-warmup"), ...app });
  const appMb = Object.values(app).reduce((sum, text) => sum + text.length, 0) / 1024 / 1024;
  const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 1000 });
  worker.start();
  const { actor, teamId } = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId, name: `bench-${randomUUID().slice(0, 6)}` } });
  const input = createServiceInput.parse({
    projectId: project.id,
    name: `bench-${randomUUID().slice(0, 6)}`,
    source: "git",
    git: { url: fixture.url },
    containerPort: 8080,
  });
  const { id: serviceId } = await createService(deps, actor, input);

  const ended = deploymentEnds(deps);
  const berthDeploy = async (stages: Stages[]): Promise<number> => {
    const started = performance.now();
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    const { deployment: d, seen } = await untilServing(deps, ended, deploymentId);
    const elapsed = performance.now() - started;
    const at = (t: Date | null) => t?.getTime() ?? NaN;
    stages.push({
      queue: at(d.startedAt) - at(d.createdAt),
      clone: d.cloneMs ?? NaN,
      build: d.buildMs ?? NaN,
      release: d.releaseMs ?? NaN,
      "recorded+seen": seen - started - (at(d.startedAt) - at(d.createdAt)) - (d.cloneMs ?? 0) - (d.buildMs ?? 0) - (d.releaseMs ?? 0),
      "200": performance.now() - seen,
    });
    return elapsed;
  };

  let rawRelease: RawRelease = await rawDeploy(fixture.url, null, []); // warm-up (page cache, base image)
  await berthDeploy([]);
  const raw: number[] = [];
  const berth: number[] = [];
  const rawStages: Stages[] = [];
  const berthStages: Stages[] = [];
  for (let i = 0; i < runs; i++) {
    fixture.commit({ Dockerfile: helloDockerfile(`bench-raw-${i}-${randomUUID()}`) }, `raw ${i}`);
    const deployed = await rawDeploy(fixture.url, rawRelease, rawStages);
    rawRelease = deployed;
    raw.push(deployed.elapsed);
    fixture.commit({ Dockerfile: helloDockerfile(`bench-berth-${i}-${randomUUID()}`) }, `berth ${i}`);
    berth.push(await berthDeploy(berthStages));
  }

  const ratio = median(berth) / median(raw);
  const rawTo200 = rawStages.map((s) => s["to 200"] ?? NaN);
  console.log(
    `(a) git redeploy until the new commit answers 200 and the previous release is gone, ${runs} runs each (fresh commit per run; repository of ${APP_FILES + 1} files, ${appMb.toFixed(1)} MB)`,
  );
  console.log(
    `  raw git clone + docker build + docker run + poll + docker stop/rm of the previous: median ${secs(median(raw))} s  [${raw.map(secs).join(", ")}]`,
  );
  console.log(
    `  Berth (queue, clone, build, health-gated release, old release retired, recorded): median ${secs(median(berth))} s  [${berth.map(secs).join(", ")}]`,
  );
  console.log(`  ratio Berth / raw: ${ratio.toFixed(2)} (goal <= 0.9)`);
  // Each Berth run follows its raw run at once: their ratio shares the machine's load of the moment.
  const paired = median(berth.map((b, i) => b / raw[i]!));
  console.log(`  median of the per-run ratios (each Berth run / the raw run just before it): ${paired.toFixed(2)}`);
  console.log(
    `  (the raw script without retiring the previous container: median ${secs(median(rawTo200))} s, ratio ${(median(berth) / median(rawTo200)).toFixed(2)})`,
  );
  console.log(`  stage medians, raw:   ${stageMedians(rawStages)}`);
  console.log(`  stage medians, Berth: ${stageMedians(berthStages)}`);

  await worker.stop();
  await run("docker", ["rm", "-f", rawRelease.id]);
  await run("docker", ["rmi", rawRelease.tag]);
  await deps.engine.removeService(serviceId);
  await deps.engine.removeRepositoryImages(buildRepository(serviceId));
  await removeGitCache(deps, serviceId);
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await fixture.close();
  await deps.db.$disconnect();
}

await main();
