import { afterAll, beforeAll, expect, it } from "vitest";
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { DockerEngine } from "@berth/engine";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { httpGet, requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { kill9, startWorkerProcess } from "../../test/worker-process.ts";
import { Reconciler } from "../reconcile/reconciler.ts";
import { createService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import { buildRepository } from "./build-stage.ts";
import { enqueueDeployment } from "./deployments.ts";
import { LAPSED_REASON } from "./lease.ts";
import { recoverDeployments } from "./recovery.ts";
import { DeploymentWorker } from "./worker.ts";

/**
 * Two control-plane processes on one database: process A is a real worker process
 * (worker-main.ts), process B is this test's (its boot recovery, reconciler and worker). A
 * deployment belongs to the process that claimed it: B starting (or restarting) leaves A's
 * running deployment alone, and A finishes it; when A dies (kill -9), its lease lapses and B
 * ends the deployment with the previous release still serving.
 */
const LEASE_S = 3;
const deps = testDeps();
const depsB = { ...deps, env: { ...deps.env, BERTH_DEPLOYMENT_LEASE_S: LEASE_S } };
let fixture: GitFixture;
let processA: ChildProcess | null = null;
let workerB: DeploymentWorker | null = null;
let serviceId = "";

const statusOf = async (id: string) => (await deps.db.deployment.findUniqueOrThrow({ where: { id } })).status;
const startA = () =>
  (processA = startWorkerProcess(deps.env.BERTH_SECRET, {
    BERTH_WORKER_NAME: `proc-a-${randomUUID()}`,
    BERTH_DEPLOYMENT_LEASE_S: String(LEASE_S),
  }));

async function bootB(): Promise<DeploymentWorker> {
  const worker = new DeploymentWorker(depsB, { name: "proc-b", pollMs: 200, concurrency: 8 });
  await recoverDeployments(depsB, new Reconciler(depsB, { intervalMs: 0 }), worker.lease.workerName);
  worker.start();
  return (workerB = worker);
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
  await workerB?.stop();
  if (processA) await kill9(processA);
  if (serviceId) {
    await deps.engine.removeService(serviceId);
    await deps.engine.removeRepositoryImages(buildRepository(serviceId));
  }
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { allowLocalSources: false } });
  await fixture.close();
  await deps.db.$disconnect();
});

it("B's (re)start leaves A's running deployment to A, which finishes it; A killed: its lease lapses, B ends it, the old release serves", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  const project = await deps.db.project.create({ data: { teamId, name: `two-${randomUUID().slice(0, 8)}` } });
  const input = createServiceInput.parse({
    projectId: project.id,
    name: `two-${randomUUID().slice(0, 8)}`,
    source: "git",
    git: { url: fixture.url },
    containerPort: 8080,
  });
  serviceId = (await createService(deps, actor, input)).id;

  startA();
  const good = (await enqueueDeployment(deps, actor, serviceId)).deploymentId;
  await waitFor("release 1 (by A)", async () => (await statusOf(good)) === "succeeded", 90_000);
  expect((await httpGet((await deps.db.deployment.findUniqueOrThrow({ where: { id: good } })).hostPort!)).body).toContain("stable-release");

  // 1. A builds slowly; B boots meanwhile, twice (a restart), and runs its worker for several leases.
  // Long enough to outlast both boots and three leases on an idle machine too; the marker keeps
  // the step out of the builder's cache (a cached step would finish at once).
  fixture.commit({ Dockerfile: helloDockerfile("second-release", `RUN echo ${randomUUID()} && sleep 30\n`) }, "slow build");
  const slow = (await enqueueDeployment(deps, actor, serviceId)).deploymentId;
  await waitFor("A building", async () => (await statusOf(slow)) === "building", 60_000);
  expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: slow } })).workerName).toMatch(/^proc-a-/);
  await (await bootB()).stop();
  await bootB();
  await new Promise((r) => setTimeout(r, 3 * LEASE_S * 1000));
  expect(await statusOf(slow)).toBe("building");
  await waitFor("A finishing its deployment", async () => (await statusOf(slow)) === "succeeded", 120_000);
  const second = await deps.db.deployment.findUniqueOrThrow({ where: { id: slow } });
  expect((await httpGet(second.hostPort!)).body).toContain("second-release");

  // 2. B stands aside while A claims a release that never passes its gate; then A dies.
  await workerB!.stop();
  await deps.db.service.update({ where: { id: serviceId }, data: { containerPort: 9999, healthTimeoutS: 300 } });
  const stuck = (await enqueueDeployment(deps, actor, serviceId)).deploymentId;
  await waitFor(
    "A releasing",
    async () =>
      (await statusOf(stuck)) === "releasing" && (await deps.engine.listManaged({ serviceId })).some((c) => c.deploymentId === stuck),
    60_000,
  );
  await kill9(processA!);
  processA = null;
  await bootB();
  await waitFor("B ending A's lapsed deployment", async () => (await statusOf(stuck)) === "failed", 30_000);
  expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: stuck } })).error).toBe(LAPSED_REASON);
  // The reconciler clears what A left; the second release keeps serving.
  await new Reconciler(depsB, { intervalMs: 0 }).pass("periodic");
  await waitFor(
    "only release 2's container left",
    async () => (await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId).join() === slow,
    30_000,
  );
  expect((await httpGet(second.hostPort!)).body).toContain("second-release");
}, 360_000);
