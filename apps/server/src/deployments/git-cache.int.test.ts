import { afterAll, beforeAll, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import type { DockerEngine } from "@berth/engine";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { buildRepository } from "./build-stage.ts";
import { createService, deleteService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { gitCacheDir, sweepGitCaches } from "../sources/git-cache.ts";
import { enqueue, enqueueDeployment, snapshotConfig } from "./deployments.ts";
import { isTerminalStatus } from "./statuses.ts";
import { DeploymentWorker } from "./worker.ts";

const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 200 });
const touched: string[] = [];
let fixture: GitFixture;
let other: GitFixture;

const DOCKERFILE = "FROM berth-test/hello:latest\nCOPY static.txt /www/static.txt\nCOPY version.txt /www/version.txt\n";
const TOKEN = `tok-CACHE-${randomUUID()}`;

async function finished(deploymentId: string) {
  return waitFor(
    `deployment ${deploymentId} to finish`,
    async () => {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      return isTerminalStatus(d.status) ? d : null;
    },
    90_000,
  );
}

async function served(port: number, file: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/${file}`, { signal: AbortSignal.timeout(5000) });
  return (await res.text()).trim();
}

async function logText(deploymentId: string): Promise<string> {
  return (await deps.db.buildLogLine.findMany({ where: { deploymentId }, orderBy: { seq: "asc" } })).map((l) => l.text).join("\n");
}

/** The distinct objects in the cache. */
function objectsInCache(dir: string): number {
  const out = execFileSync("git", ["cat-file", "--batch-all-objects", "--batch-check=%(objectname)"], {
    env: { ...process.env, GIT_DIR: path.join(dir, ".git") },
    encoding: "utf8",
  });
  return out.trim().split("\n").length;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: true },
    update: { allowLocalSources: true },
  });
  fixture = await startGitFixture({ Dockerfile: DOCKERFILE, "static.txt": "static\n", "version.txt": "v1\n" });
  other = await startGitFixture({ Dockerfile: DOCKERFILE, "static.txt": "static\n", "version.txt": "other-repo\n" });
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  for (const serviceId of touched) {
    await deps.engine.removeService(serviceId);
    await deps.engine.removeRepositoryImages(buildRepository(serviceId));
  }
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await fixture.close();
  await other.close();
  await deps.db.$disconnect();
});

it("redeploys fetch only the new commit into the service's cached checkout and build it warm; a pushed non-head commit is what is built; another URL discards the cache; deleting the service removes it", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId, name: `cache-${randomUUID().slice(0, 8)}` } });
  const input = createServiceInput.parse({
    projectId: project.id,
    name: `app-${randomUUID().slice(0, 8)}`,
    source: "git",
    git: { url: fixture.url, branch: "main", auth: "token", token: TOKEN },
    containerPort: 8080,
  });
  const { id: serviceId } = await createService(deps, actor, input);
  touched.push(serviceId);
  const cache = gitCacheDir(deps.env, serviceId);

  const first = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
  expect(first).toMatchObject({ status: "succeeded", error: null });
  expect(await served(first.hostPort!, "version.txt")).toBe("v1");
  expect(await logText(first.id)).toContain("into a new cached checkout");
  expect((await stat(cache)).mode & 0o777).toBe(0o700);
  const staticMtime = (await stat(path.join(cache, "static.txt"))).mtimeMs;
  const objectsBefore = objectsInCache(cache);

  // Two pushes; the webhook names the first of them, which is no longer the branch head.
  const pushed = fixture.commit({ "version.txt": "v2\n" }, "v2");
  const head = fixture.commit({ "version.txt": "v3\n" }, "v3");
  const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId }, include: { project: true } });
  const { deploymentId } = await enqueue(deps, {
    serviceId,
    teamId,
    trigger: "webhook",
    actorId: null,
    image: "",
    config: await snapshotConfig(deps, service),
    commitSha: pushed,
    commitMessage: "v2",
  });
  const second = await finished(deploymentId);
  expect(second).toMatchObject({ status: "succeeded", commitSha: pushed, error: null });
  expect(await served(second.hostPort!, "version.txt")).toBe("v2");
  const log = await logText(second.id);
  expect(log).toContain("into the cached checkout");
  // Only the new commit came over: the commit, its root tree and the one changed file.
  expect(objectsInCache(cache) - objectsBefore).toBe(3);
  // The unchanged file kept its mtime, and its build step was a cache hit.
  expect((await stat(path.join(cache, "static.txt"))).mtimeMs).toBe(staticMtime);
  const step = /^(#\d+) \[\d+\/\d+\] COPY static\.txt/m.exec(log)?.[1];
  expect(step).toBeDefined();
  expect(log).toContain(`${step} CACHED`);

  const third = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
  expect(third).toMatchObject({ status: "succeeded", commitSha: head });
  expect(await served(third.hostPort!, "version.txt")).toBe("v3");

  // No credential anywhere in the cache: not in .git/config, not in any file.
  expect(await readFile(path.join(cache, ".git", "config"), "utf8")).not.toMatch(/extraheader|Authorization|url\s*=/i);
  const base64 = Buffer.from(`x-access-token:${TOKEN}`).toString("base64");
  for (const file of await filesUnder(cache)) {
    const text = await readFile(file, "latin1");
    expect(text.includes(TOKEN) || text.includes(base64), file).toBe(false);
  }

  // Another repository URL: the cache is discarded and made again from the new one.
  await deps.db.service.update({ where: { id: serviceId }, data: { gitUrl: other.url } });
  const moved = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
  expect(moved).toMatchObject({ status: "succeeded", error: null });
  expect(await served(moved.hostPort!, "version.txt")).toBe("other-repo");
  expect(await logText(moved.id)).toContain("into a new cached checkout");
  expect(await readFile(path.join(cache, ".git", "berth-source-url"), "utf8")).toBe(other.url);

  // Boot's sweep removes the cache of a service that no longer exists, and keeps this one.
  const stray = gitCacheDir(deps.env, randomUUID());
  await mkdir(path.join(stray, ".git"), { recursive: true });
  expect(await sweepGitCaches(deps)).toBe(1);
  expect(existsSync(stray)).toBe(false);
  expect(existsSync(path.join(cache, ".git", "HEAD"))).toBe(true);

  await deleteService(deps, actor, serviceId);
  expect(existsSync(cache)).toBe(false);
  expect(existsSync(`${cache}.lock`)).toBe(false);
});
