import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import type { DockerEngine } from "@berth/engine";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { kill9 as killProcess, startWorkerProcess } from "../../test/worker-process.ts";
import { httpGet, requireTestImage, seedUser, TEST_IMAGE, testDeps, waitFor } from "../../test/harness.ts";
import { createService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { enqueueDeployment } from "./deployments.ts";
import { RESTART_REASON } from "./recovery.ts";
import { buildRepository } from "./build-stage.ts";

/**
 * kill -9 a real worker process (apps/server/src/worker-main.ts: recovery + queue consumer)
 * mid-build and mid-release, restart it, and check what a user would: every deployment ends
 * within 60 s, nothing of the unfinished releases is left, the old release keeps serving.
 */
const deps = testDeps();
const marker = `crash-${randomUUID().slice(0, 8)}`;
let fixture: GitFixture;
let child: ChildProcess | null = null;
let serviceId = "";
let volumeServiceId = "";
let volumeProjectId = "";

function startWorker(): ChildProcess {
  child = startWorkerProcess(deps.env.BERTH_SECRET);
  return child;
}

async function kill9(proc: ChildProcess): Promise<void> {
  await killProcess(proc);
  child = null;
}

async function statusOf(id: string) {
  return (await deps.db.deployment.findUniqueOrThrow({ where: { id } })).status;
}

/** Containers (any, not only Berth's) whose command mentions this test's marker: build steps. */
/** Processes of the marked build step (BuildKit runs steps with runc, outside `docker ps`). */
function buildProcesses(): string[] {
  const pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
    } catch (err) {
      // The process ended between listing and reading.
      if ((err as NodeJS.ErrnoException).code === "ENOENT" || (err as NodeJS.ErrnoException).code === "ESRCH") return false;
      throw err;
    }
  });
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: true },
    update: { allowLocalSources: true },
  });
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("stable-release") });
});

afterAll(async () => {
  if (child) await kill9(child);
  if (serviceId) {
    await deps.engine.removeService(serviceId);
    await deps.engine.removeRepositoryImages(buildRepository(serviceId));
  }
  if (volumeServiceId) await deps.engine.removeService(volumeServiceId);
  // Berth keeps a deleted service's volume (only a user removes data); the test's own goes here.
  if (volumeProjectId) await deps.engine.removeVolume(volumeProjectId, "data");
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await fixture.close();
  await deps.db.$disconnect();
});

it("kill -9 mid-build and mid-release: every deployment terminal within 60 s, no orphans, the old release serving", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId, name: `crash-${randomUUID().slice(0, 8)}` } });
  const input = createServiceInput.parse({
    projectId: project.id,
    name: `crash-${randomUUID().slice(0, 8)}`,
    source: "git",
    git: { url: fixture.url },
    containerPort: 8080,
  });
  serviceId = (await createService(deps, actor, input)).id;

  let worker = startWorker();
  const good = (await enqueueDeployment(deps, actor, serviceId)).deploymentId;
  await waitFor("release 1", async () => (await statusOf(good)) === "succeeded", 60_000);
  const { hostPort } = await deps.db.deployment.findUniqueOrThrow({ where: { id: good } });
  expect((await httpGet(hostPort!)).body).toContain("stable-release");

  // 1. Mid-build.
  // A command after sleep keeps the shell (whose argv holds the marker) alive during the step.
  fixture.commit({ Dockerfile: helloDockerfile("never", `RUN echo ${marker} && sleep 60 && echo the-shell-stays\n`) }, "slow build");
  const midBuild = (await enqueueDeployment(deps, actor, serviceId)).deploymentId;
  await waitFor("the slow build step to run", async () => (await statusOf(midBuild)) === "building" && buildProcesses().length > 0, 60_000);
  await kill9(worker);
  // Nothing but the restarted worker's recovery ends a deployment of a dead process: a generous deadline.
  worker = startWorker();
  await waitFor("the interrupted build to end", async () => (await statusOf(midBuild)) === "failed", 60_000);
  expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: midBuild } })).error).toBe(RESTART_REASON);
  await waitFor("the engine to drop the abandoned build step", async () => buildProcesses().length === 0, 30_000);

  // 2. Mid-release: the new container never listens on its port, so it sits in the health gate.
  fixture.commit({ Dockerfile: helloDockerfile("new-but-broken") }, "broken port");
  await deps.db.service.update({ where: { id: serviceId }, data: { containerPort: 9999, healthTimeoutS: 120 } });
  const midRelease = (await enqueueDeployment(deps, actor, serviceId)).deploymentId;
  await waitFor(
    "the new release's container",
    async () =>
      (await statusOf(midRelease)) === "releasing" &&
      (await deps.engine.listManaged({ serviceId })).some((c) => c.deploymentId === midRelease),
    60_000,
  );
  await kill9(worker);
  worker = startWorker();
  await waitFor("the interrupted release to end", async () => (await statusOf(midRelease)) === "failed", 60_000);
  await waitFor(
    "only release 1's container left",
    async () => (await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId).join() === good,
    30_000,
  );

  expect(await deps.db.deployment.count({ where: { serviceId, status: { in: ["queued", "cloning", "building", "releasing"] } } })).toBe(0);
  expect((await httpGet(hostPort!)).body).toContain("stable-release");
  await kill9(worker);
}, 300_000);

it("kill -9 mid-release of a stop-first service with a volume: the old release runs again with its data, the volume untouched", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId, name: `crash-vol-${randomUUID().slice(0, 8)}` } });
  volumeProjectId = project.id;
  const input = createServiceInput.parse({
    projectId: project.id,
    name: "db",
    image: TEST_IMAGE,
    kind: "tcp",
    containerPort: 8080,
    volumes: [{ name: "data", mountPath: "/data" }],
  });
  volumeServiceId = (await createService(deps, actor, input)).id;
  const running = async () => (await deps.engine.listManaged({ serviceId: volumeServiceId })).filter((c) => c.state === "running");

  let worker = startWorker();
  const good = (await enqueueDeployment(deps, actor, volumeServiceId)).deploymentId;
  await waitFor("release 1", async () => (await statusOf(good)) === "succeeded", 60_000);
  const [first] = await running();
  await deps.engine.exec(first!.containerId, { cmd: ["sh", "-c", "echo kept-row > /data/row"] });

  // The next release never listens on its port: it sits in the health gate while the old one is stopped.
  await deps.db.service.update({ where: { id: volumeServiceId }, data: { containerPort: 9999, healthTimeoutS: 120 } });
  const mid = (await enqueueDeployment(deps, actor, volumeServiceId)).deploymentId;
  await waitFor(
    "the new release gated, the old one stopped",
    async () => {
      const all = await deps.engine.listManaged({ serviceId: volumeServiceId });
      return (
        (await statusOf(mid)) === "releasing" &&
        all.some((c) => c.deploymentId === mid) &&
        all.some((c) => c.deploymentId === good && c.state !== "running")
      );
    },
    60_000,
  );
  await kill9(worker);
  worker = startWorker();
  await waitFor("the interrupted release to end", async () => (await statusOf(mid)) === "failed", 60_000);
  const [back] = await waitFor(
    "release 1 running again",
    async () => {
      const r = await running();
      return r.length === 1 && r[0]!.deploymentId === good ? r : null;
    },
    30_000,
  );
  expect((await deps.engine.exec(back!.containerId, { cmd: ["cat", "/data/row"] })).output.trim()).toBe("kept-row");
  expect((await deps.engine.listManaged({ serviceId: volumeServiceId })).map((c) => c.deploymentId)).toEqual([good]);
  await kill9(worker);
}, 180_000);
