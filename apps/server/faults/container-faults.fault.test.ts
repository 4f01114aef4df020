import { afterAll, beforeAll, expect, it } from "vitest";
import type { Prisma } from "@berth/db";
import type { DockerEngine } from "@berth/engine";
import { enqueueDeployment } from "../src/deployments/deployments.ts";
import type { DeploymentWorker } from "../src/deployments/worker.ts";
import { EngineWatch } from "../src/overview/engine-watch.ts";
import { readServiceStatus } from "../src/overview/live-service-status.ts";
import { Reconciler } from "../src/reconcile/reconciler.ts";
import { listServiceEvents } from "../src/service-events/service-events.ts";
import type { Actor } from "../src/teams/access.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../test/deploy-harness.ts";
import { helloDockerfile, startGitFixture, type GitFixture } from "../test/git-fixture.ts";
import { httpGet, requireTestImage, seedService, seedUser, testDeps, waitFor } from "../test/harness.ts";
import { reportFigure, seconds } from "./report.ts";

/**
 * A container that runs out of memory, and a service that crash-loops, beside a healthy one:
 * each reported clearly (the service's status and event list), the healthy one unaffected.
 * Both pass their first health gate, then fail on every later start: the first run leaves a
 * file behind, which the engine's restart (same container) finds. And a build that writes past
 * its disk budget (BERTH_BUILD_DISK_BUDGET_GB): failed with that reason, its cache records
 * pruned, the service's previous release serving, another service deploying meanwhile.
 */
const deps = testDeps();
let worker: DeploymentWorker;
let watch: EngineWatch;
let reconciler: Reconciler;
let actor: Actor;
const touched: string[] = [];
const built: string[] = [];
let repo: GitFixture | undefined;
const projects: string[] = [];
let probing: NodeJS.Timeout | undefined;

/** Later starts of the container run `then` at once; the first serves, then runs it after `afterS`. */
const secondStart = (then: string, afterS: number) =>
  `if [ -e /started ]; then ${then}; fi; touch /started; httpd -p 8080 -h /; sleep ${afterS}; ${then}`;
/** Holds ~100 MB in the shell: far above a 16 MiB limit. */
const EXHAUST_MEMORY = "x=$(head -c 100000000 /dev/zero | tr '\\000' a); sleep 3600";

async function serviceWith(teamId: string, runtime: Prisma.InputJsonObject | null): Promise<string> {
  const { serviceId, projectId } = await seedService(deps.db, teamId);
  touched.push(serviceId);
  projects.push(projectId);
  if (runtime) await deps.db.service.update({ where: { id: serviceId }, data: { runtime } });
  const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
  const { status, error } = await finishedDeployment(deps, deploymentId, 120_000);
  expect({ status, error }).toEqual({ status: "succeeded", error: null });
  return serviceId;
}

async function statusOf(serviceId: string) {
  const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
  const latest = await deps.db.deployment.findFirst({ where: { serviceId }, orderBy: { createdAt: "desc" } });
  return readServiceStatus(deps, {
    id: serviceId,
    desiredState: service.desiredState,
    latest,
    liveDeploymentId: latest?.status === "succeeded" ? latest.id : null,
  });
}

async function answers(serviceId: string): Promise<boolean> {
  const port = (await deps.engine.listManaged({ serviceId })).find((c) => c.state === "running")?.hostPort;
  return port
    ? httpGet(port).then(
        (r) => r.status === 200,
        () => false,
      )
    : false;
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  worker = deploymentWorker(deps, 4);
  worker.start();
  watch = new EngineWatch(deps);
  deps.engineWatch = watch;
  watch.start();
}, 60_000);

afterAll(async () => {
  clearInterval(probing);
  await reconciler?.stop();
  watch?.stop();
  await worker?.stop();
  for (const id of touched) await deps.engine.removeService(id);
  for (const id of built) await removeServiceEverywhere(deps, id);
  for (const projectId of projects) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await allowLocalSources(deps, false);
  await repo?.close();
  await deps.db.$disconnect();
}, 120_000);

it("a container out of memory and a crash-looping service are each reported clearly; a healthy service beside them is unaffected", async () => {
  let teamId: string;
  ({ actor, teamId } = await seedUser(deps.db));
  const [healthy, oom, looping] = await Promise.all([
    serviceWith(teamId, null),
    // No restart policy: the reconciler starts it again (and backs off).
    serviceWith(teamId, { restartPolicy: "no", limits: { memoryMb: 16 }, entrypoint: ["/bin/sh", "-c", secondStart(EXHAUST_MEMORY, 3)] }),
    // The default restart policy: the engine restarts it, with its own growing delay.
    serviceWith(teamId, { entrypoint: ["/bin/sh", "-c", secondStart("exit 3", 3)] }),
  ]);
  reconciler = new Reconciler(deps, { intervalMs: 60_000 });
  reconciler.start();
  const began = Date.now();
  // The healthy one is asked every second while the others fail.
  const probes = { ok: 0, failed: 0 };
  probing = setInterval(() => void answers(healthy).then((ok) => void (ok ? probes.ok++ : probes.failed++)), 1000);

  // Watched from the start (beside the OOM checks below), to time when it is reported.
  const loopReported = waitFor(
    "the crash loop in the status",
    async () => {
      const s = await statusOf(looping);
      return s.status === "crash_looping" ? { loopStatus: s, loopReportedMs: Date.now() - began } : null;
    },
    90_000,
  );
  loopReported.catch(() => undefined);
  // Out of memory: the status says so, and so does the reconciler's entry when it starts it again.
  const oomStatus = await waitFor(
    "the OOM kill in the status",
    async () => {
      const s = await statusOf(oom);
      return s.attention.some((a) => a.kind === "oom_killed") ? s : null;
    },
    60_000,
  );
  const oomReportedMs = Date.now() - began;
  expect(oomStatus.attention.find((a) => a.kind === "oom_killed")!.message).toMatch(/out of memory/);
  const oomEvent = await waitFor(
    "the reconciler's entry",
    async () => (await listServiceEvents(deps, actor, oom)).find((e) => e.kind === "reconcile.start"),
    30_000,
  );
  expect(oomEvent.message).toMatch(/its container is stopped \(killed for running out of memory, limit 16 MiB\)$/);
  const oomBackoff = await waitFor(
    "a back-off report",
    async () => (await listServiceEvents(deps, actor, oom)).find((e) => e.kind === "reconcile.backoff"),
    60_000,
  );
  expect(oomBackoff.message).toMatch(/killed for running out of memory/);

  // Crash loop under the engine's restart policy: reported, the engine's delay grows, Berth does not add starts of its own.
  const { loopStatus, loopReportedMs } = await loopReported;
  expect(loopStatus.attention.find((a) => a.kind === "crash_loop")!.message).toMatch(/^Crash-looping: restarted \d+ times recently$/);
  const countBefore = (await deps.engine.listManaged({ serviceId: looping }))[0]!.restartCount;
  await new Promise((r) => setTimeout(r, 20_000));
  const restarts = (await deps.engine.listManaged({ serviceId: looping }))[0]!.restartCount - countBefore;
  // A tight loop (no delay) would restart it hundreds of times in 20 s; the engine's delay (100 ms,
  // doubling each time) allows about five once the loop is reported.
  expect(restarts).toBeLessThanOrEqual(10);
  expect((await listServiceEvents(deps, actor, looping)).filter((e) => e.kind === "reconcile.start")).toEqual([]);

  // The healthy one: answered every probe, still reported running with nothing to attend to.
  clearInterval(probing);
  expect(probes).toMatchObject({ failed: 0 });
  expect(probes.ok).toBeGreaterThan(20);
  expect(await statusOf(healthy)).toMatchObject({ status: "running", attention: [] });

  reportFigure(
    "a container out of memory, a crash-looping service, a healthy one beside them",
    `OOM kill in the status after ${seconds(oomReportedMs)} and in the event list ("${oomEvent.message}"); crash loop reported after ${seconds(loopReportedMs)}, then ${restarts} restarts by the engine in 20 s (no tight loop); the healthy service answered ${probes.ok} of ${probes.ok} probes`,
  );
}, 300_000);

it("a build that writes past its disk budget fails with that reason; its previous release serves and another service deploys meanwhile", async () => {
  const { actor: owner, teamId } = await seedUser(deps.db);
  await allowLocalSources(deps, true);
  repo = await startGitFixture({ Dockerfile: helloDockerfile("before-the-fat-build") });
  const { serviceId, projectId } = await createGitService(deps, owner, teamId, { url: repo.url });
  built.push(serviceId);
  projects.push(projectId);
  const first = await finishedDeployment(deps, (await enqueueDeployment(deps, owner, serviceId)).deploymentId, 180_000);
  expect({ status: first.status, error: first.error }).toEqual({ status: "succeeded", error: null });

  // 100 MiB for this build; its one RUN step writes 25 MB every half second, up to 1.5 GB.
  const budgetGb = 0.1;
  deps.env = { ...deps.env, BERTH_BUILD_DISK_BUDGET_GB: budgetGb };
  const marker = `fill-${Date.now()}`;
  repo.commit(
    {
      Dockerfile: helloDockerfile(
        "never",
        `RUN echo ${marker}; i=0; while [ $i -lt 60 ]; do i=$((i+1)); dd if=/dev/zero of=/fill$i bs=1M count=25 2>/dev/null; sleep 0.5; done\n`,
      ),
    },
    "a build that fills its disk",
  );
  const fat = (await enqueueDeployment(deps, owner, serviceId)).deploymentId;
  const stepStarted = await waitFor(
    "the filling step to run",
    async () => {
      const line = await deps.db.buildLogLine.findFirst({ where: { deploymentId: fat, text: { contains: `RUN echo ${marker}` } } });
      return line ? Date.now() : null;
    },
    120_000,
  );
  // Meanwhile another service deploys.
  const other = await seedService(deps.db, teamId);
  touched.push(other.serviceId);
  projects.push(other.projectId);
  const otherDeployment = (await enqueueDeployment(deps, owner, other.serviceId)).deploymentId;

  const failed = await finishedDeployment(deps, fat, 180_000);
  const detectedMs = Date.now() - stepStarted;
  deps.env = { ...deps.env, BERTH_BUILD_DISK_BUDGET_GB: 20 };
  expect(failed.status).toBe("failed");
  expect(failed.error).toMatch(
    /the build used more than its disk budget of 0\.1 GB \((\d+(\.\d+)?) GB written by its RUN steps when it was stopped\)/,
  );
  const atCancel = /\((\d+(?:\.\d+)?) GB written/.exec(failed.error!)![1];
  // Its previous release serves; the other service deployed.
  expect((await httpGet(first.hostPort!)).body).toContain("before-the-fat-build");
  expect((await finishedDeployment(deps, otherDeployment, 120_000)).status).toBe("succeeded");
  // What it wrote is gone: no cache record of its step is left.
  const usage = await deps.engine.diskUsage();
  const left = usage.buildCache.filter((c) => c.description?.includes(marker));
  expect(left).toEqual([]);

  reportFigure(
    "a build that fills its disk budget",
    `failed ${seconds(detectedMs)} after its RUN step started ("the build used more than its disk budget of ${budgetGb} GB"), ${atCancel} GB written at the cancel, its cache records pruned; its previous release answered, another service deployed meanwhile`,
  );
}, 300_000);
