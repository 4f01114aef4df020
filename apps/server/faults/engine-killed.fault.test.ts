import { afterAll, beforeAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import type { DeploymentWorker } from "../src/deployments/worker.ts";
import { isTerminalStatus } from "../src/deployments/statuses.ts";
import { EngineWatch } from "../src/overview/engine-watch.ts";
import { Reconciler } from "../src/reconcile/reconciler.ts";
import type { Actor } from "../src/teams/access.ts";
import { allowLocalSources, createGitService, deploymentWorker, finishedDeployment } from "../test/deploy-harness.ts";
import { helloDockerfile, startGitFixture, type GitFixture } from "../test/git-fixture.ts";
import { httpGet, seedService, seedUser, TEST_IMAGE, testDeps, type TestDeps, waitFor } from "../test/harness.ts";
import { type PrivateDockerd, startPrivateDockerd } from "../test/private-dockerd.ts";
import { reportFigure, seconds } from "./report.ts";

/**
 * kill -9 of the Docker Engine (a PRIVATE dockerd: test/private-dockerd.ts -- the host's is
 * shared and never restarted by a test) at rest, mid-build and mid-release, then started again
 * as its supervisor would: dockerd leaves every container Exited, and the reconciler (engine
 * events, the reconnect) must bring back every service that should run with no user action.
 * Goal: all answer within 30 s of the restart; the figure is the time each took.
 */
let dockerd: PrivateDockerd;
let deps: TestDeps;
let worker: DeploymentWorker;
let watch: EngineWatch;
let reconciler: Reconciler;
let fixture: GitFixture;
let actor: Actor;
/** Services that should run: two image services, one built from git, one whose next release never passes its gate. */
const running: string[] = [];
let built = "";
let gated = "";

/** The service's answer on its live container's published port (it changes when the engine restarts it), or null. */
async function answers(serviceId: string): Promise<boolean> {
  const containers = await deps.engine.listManaged({ serviceId }).catch(() => []);
  const port = containers.find((c) => c.state === "running")?.hostPort;
  if (!port) return false;
  return httpGet(port).then(
    (r) => r.status === 200,
    () => false,
  );
}

const allAnswer = async () => (await Promise.all(running.map(answers))).every(Boolean);
const statusOf = async (id: string) => (await deps.db.deployment.findUniqueOrThrow({ where: { id } })).status;

async function deploy(serviceId: string): Promise<void> {
  const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
  const { status, error } = await finishedDeployment(deps, deploymentId, 120_000);
  expect({ status, error }).toEqual({ status: "succeeded", error: null });
}

/** kill -9 the engine, start it, and time until every service that should run answers. */
async function killAndRestart(): Promise<{ apiMs: number; recoveredMs: number }> {
  await dockerd.kill9();
  expect(await allAnswer()).toBe(false);
  const restarted = Date.now();
  await dockerd.start();
  const apiMs = Date.now() - restarted;
  await waitFor("every service that should run to answer again", allAnswer, 60_000).catch((err: unknown) => {
    throw new Error(`${String(err)}; the engine's log ends:\n${dockerd.log().slice(-1500)}`);
  });
  return { apiMs, recoveredMs: Date.now() - restarted };
}

beforeAll(async () => {
  dockerd = await startPrivateDockerd();
  await dockerd.loadImages([TEST_IMAGE]);
  const base = testDeps();
  deps = { ...base, engine: dockerd.engine, env: { ...base.env, BERTH_DOCKER_SOCKET: dockerd.socketPath } };
  await allowLocalSources(deps, true);
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("built-v1") });
  worker = deploymentWorker(deps, 4);
  worker.start();
  let teamId: string;
  ({ actor, teamId } = await seedUser(deps.db));
  for (let i = 0; i < 3; i++) running.push((await seedService(deps.db, teamId)).serviceId);
  gated = running[2]!;
  built = (await createGitService(deps, actor, teamId, { url: fixture.url })).serviceId;
  running.push(built);
  await Promise.all(running.map(deploy));
  watch = new EngineWatch(deps);
  deps.engineWatch = watch;
  // The periodic pass is slower than the 30 s goal: the engine's events and the reconnect must do it.
  reconciler = new Reconciler(deps, { intervalMs: 60_000 });
  watch.start();
  reconciler.start();
}, 300_000);

afterAll(async () => {
  await reconciler?.stop();
  watch?.stop();
  // The engine goes first: a deployment still in its gate (a failed run) then ends at once
  // instead of holding the worker's stop for its whole health timeout.
  await dockerd?.close();
  await worker?.stop();
  await allowLocalSources(deps, false);
  await fixture?.close();
  await deps?.db.$disconnect();
}, 120_000);

it("the Docker Engine killed at rest, mid-build and mid-release: every service that should run answers again within 30 s, with no user action", async () => {
  expect(await allAnswer()).toBe(true);
  const rest = await killAndRestart();

  // Mid-build: a build step that sleeps, running (its line is in the deployment's log).
  const marker = `engine-fault-${randomUUID()}`;
  fixture.commit({ Dockerfile: helloDockerfile("built-v2", `RUN echo ${marker} && sleep 60\n`) }, "slow build");
  const building = (await enqueueDeployment(deps, actor, built)).deploymentId;
  await waitFor(
    "the slow build step to run",
    async () =>
      (await statusOf(building)) === "building" &&
      (await deps.db.buildLogLine.count({ where: { deploymentId: building, text: { contains: marker } } })) > 0,
    120_000,
  );
  const midBuild = await killAndRestart();
  const buildEnd = await finishedDeployment(deps, building, 60_000);
  expect(buildEnd.status).toBe("failed");

  // Mid-release: the new container sits in its health gate (nothing listens on 9999).
  await deps.db.service.update({ where: { id: gated }, data: { containerPort: 9999, healthTimeoutS: 600 } });
  const releasing = (await enqueueDeployment(deps, actor, gated)).deploymentId;
  await waitFor(
    "the new release in its health gate",
    async () =>
      (await statusOf(releasing)) === "releasing" &&
      (await deps.engine.listManaged({ serviceId: gated })).some((c) => c.deploymentId === releasing),
    60_000,
  );
  const midRelease = await killAndRestart();
  const releaseEnd = await finishedDeployment(deps, releasing, 60_000);
  expect(isTerminalStatus(releaseEnd.status) && releaseEnd.status !== "succeeded").toBe(true);
  // What the dead release left is cleared; the previous release serves.
  await waitFor(
    "only the previous release's container left",
    async () => (await deps.engine.listManaged({ serviceId: gated })).every((c) => c.deploymentId !== releasing),
    30_000,
  );

  reportFigure(
    "Docker Engine killed (private dockerd) and started again, 4 services",
    `all answering ${seconds(rest.recoveredMs)} (at rest), ${seconds(midBuild.recoveredMs)} (mid-build), ${seconds(midRelease.recoveredMs)} (mid-release) after the restart began (goal < 30 s), of which dockerd's own start until its API answered ${[rest, midBuild, midRelease].map((r) => seconds(r.apiMs)).join(", ")}; the interrupted deployments: build ${buildEnd.status} ("${buildEnd.error}"), release ${releaseEnd.status} ("${releaseEnd.error}")`,
  );
  // Berth's part (from the engine answering again): dockerd's own start is not Berth's to speed up,
  // and on a loaded machine alone takes 10 s.
  for (const r of [rest, midBuild, midRelease]) expect(r.recoveredMs - r.apiMs).toBeLessThan(30_000);
}, 600_000);
