import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { randomUUID } from "node:crypto";
import type { DockerEngine } from "@berth/engine";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { httpGet, requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import Docker from "dockerode";
import { buildRepository } from "./build-stage.ts";
import { createService, deleteService, getService } from "../services/services.ts";
import { createServiceInput } from "../services/service-input.ts";
import type { Actor } from "../teams/access.ts";
import { cancelDeployment, enqueue, enqueueDeployment, redeploy, rollbackToRelease, snapshotConfig } from "./deployments.ts";
import { isTerminalStatus } from "./statuses.ts";
import { DeploymentWorker } from "./worker.ts";

const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 200 });
const touched: string[] = [];
let fixture: GitFixture;

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

async function gitService(actor: Actor, teamId: string, git: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const project = await deps.db.project.create({ data: { teamId, name: `git-${randomUUID().slice(0, 8)}` } });
  const input = createServiceInput.parse({
    projectId: project.id,
    name: `app-${randomUUID().slice(0, 8)}`,
    source: "git",
    git: { url: fixture.url, ...git },
    containerPort: 8080,
    ...extra,
  });
  const { id } = await createService(deps, actor, input);
  touched.push(id);
  return id;
}

async function logOf(deploymentId: string) {
  return deps.db.buildLogLine.findMany({ where: { deploymentId }, orderBy: { seq: "asc" } });
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: true },
    update: { allowLocalSources: true },
  });
  fixture = await startGitFixture({ Dockerfile: helloDockerfile("release-one"), "index.txt": "one\n" });
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
  await deps.db.$disconnect();
});

describe("deployments from git (real git over HTTP on 127.0.0.1, real Docker builds)", () => {
  it("clones, builds, releases; redeploys a pushed change; rolls back to release 1 without a rebuild", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const serviceId = await gitService(actor, teamId, { branch: "main", auth: "token", token: "tok-SECRET-1234" });
    const view = await getService(deps, actor, serviceId);
    expect(view.source).toMatchObject({ type: "git", url: fixture.url, branch: "main", hasToken: true });
    expect(JSON.stringify(view)).not.toContain("tok-SECRET-1234");

    const first = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(first).toMatchObject({ status: "succeeded", trigger: "user", commitMessage: "initial commit", error: null });
    expect(first.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(first.image).toBe(`berth-build/${serviceId}:${first.id}`);
    for (const ms of [first.cloneMs, first.buildMs, first.releaseMs]) expect(ms).toBeGreaterThan(0);
    // The release stage began after the clone and the build (what the stage progress shows).
    expect(first.stageStartedAt!.getTime() - first.startedAt!.getTime()).toBeGreaterThanOrEqual(first.cloneMs! + first.buildMs! - 100);
    expect((await httpGet(first.hostPort!)).body).toContain("release-one");

    const lines = await logOf(first.id);
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
    const text = lines.map((l) => l.text).join("\n");
    expect(text).toMatch(/Cloning http:\/\/127\.0\.0\.1/);
    expect(text).toMatch(/^Builder: BuildKit$/m);
    expect(text).toMatch(/#\d+ \[\d+\/\d+\] FROM docker\.io\/berth-test\/hello:latest/);
    expect(text).toMatch(/Release 1 is live/);
    expect(text).not.toContain("tok-SECRET-1234");

    fixture.commit({ Dockerfile: helloDockerfile("release-two") }, "second release");
    const second = await finished((await redeploy(deps, actor, first.id)).deploymentId);
    expect(second).toMatchObject({ status: "succeeded", trigger: "redeploy", commitMessage: "second release" });
    expect((await httpGet(second.hostPort!)).body).toContain("release-two");

    const release1 = await deps.db.release.findUniqueOrThrow({ where: { deploymentId: first.id } });
    expect(release1.number).toBe(1);
    const back = await finished((await rollbackToRelease(deps, actor, release1.id)).deploymentId);
    expect(back).toMatchObject({
      status: "succeeded",
      trigger: "rollback",
      image: release1.image,
      rollbackOfId: release1.id,
      cloneMs: null,
      buildMs: null,
      commitSha: first.commitSha,
      commitMessage: "Rollback to release #1",
    });
    expect((await httpGet(back.hostPort!)).body).toContain("release-one");
    expect((await deps.db.release.findUniqueOrThrow({ where: { deploymentId: back.id } })).number).toBe(3);
    await waitFor(
      "only the rolled-back release to run",
      async () => (await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId).join() === back.id,
    );

    // Deleting the service removes its containers and its build images.
    await deleteService(deps, actor, serviceId);
    expect(await deps.engine.listManaged({ serviceId })).toEqual([]);
    const status = await new Docker()
      .getImage(first.image)
      .inspect()
      .then(
        () => 200,
        (err: { statusCode?: number }) => err.statusCode,
      );
    expect(status).toBe(404);
  });

  it("a push's commit is what gets built and served, even once the branch head has moved past it", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const branch = `moved-${randomUUID().slice(0, 8)}`;
    const pushed = fixture.commit({ Dockerfile: helloDockerfile(`pushed-${branch}`) }, "the pushed commit", branch);
    const head = fixture.commit({ Dockerfile: helloDockerfile(`head-${branch}`) }, "a later commit", branch);
    expect(head).not.toBe(pushed);
    const serviceId = await gitService(actor, teamId, { branch });
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId }, include: { project: true } });
    // What the webhook receiver enqueues for a push of `pushed` (webhooks/receive.ts).
    const { deploymentId } = await enqueue(deps, {
      serviceId,
      teamId,
      trigger: "webhook",
      actorId: null,
      image: "",
      config: await snapshotConfig(deps, service),
      commitSha: pushed,
      commitMessage: "the pushed commit",
    });
    const done = await finished(deploymentId);
    expect(done).toMatchObject({ status: "succeeded", commitSha: pushed, error: null });
    const served = (await httpGet(done.hostPort!)).body;
    expect(served).toContain(`pushed-${branch}`);
    expect(served).not.toContain(`head-${branch}`);
  });

  it("a wrong branch and a failing build step each end failed with a readable reason; the previous release keeps serving", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    fixture.commit({ Dockerfile: helloDockerfile("release-two", "RUN echo a-layer > /layer.txt\n") }, "a RUN step");
    const serviceId = await gitService(actor, teamId, { branch: "main" });
    const good = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(good.status).toBe("succeeded");
    // A rebuild of the same service reuses the engine's layer cache (the RUN step is CACHED).
    const again = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect((await logOf(again.id)).map((l) => l.text).filter((t) => /^#\d+ CACHED$/.test(t)).length).toBeGreaterThan(0);

    await deps.db.service.update({ where: { id: serviceId }, data: { gitBranch: "no-such-branch" } });
    const badBranch = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(badBranch).toMatchObject({ status: "failed", error: expect.stringMatching(/branch "no-such-branch" does not exist/) });

    fixture.commit({ Dockerfile: helloDockerfile("broken", 'RUN echo "about to fail" && false\n') }, "broken build", "broken");
    await deps.db.service.update({ where: { id: serviceId }, data: { gitBranch: "broken" } });
    const badBuild = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(badBuild).toMatchObject({ status: "failed", error: expect.stringMatching(/exit code: 1/) });
    const text = (await logOf(badBuild.id)).map((l) => l.text).join("\n");
    expect(text).toContain("about to fail");

    expect((await getService(deps, actor, serviceId)).liveDeploymentId).toBe(again.id);
    expect((await httpGet(again.hostPort!)).body).toContain("release-two");
    expect((await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId)).toEqual([again.id]);
  });

  it("cancel stops only that deployment's build; a build past its per-service timeout ends timed_out", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    // A step of 300 s: ending within finished()'s 90 s means the cancel stopped the build.
    fixture.commit({ Dockerfile: helloDockerfile("slow", `RUN echo slow-${randomUUID()} && sleep 300\n`) }, "slow build", "slow");
    const serviceId = await gitService(actor, teamId, { branch: "slow" });
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    await waitFor("the build to start", async () => (await logOf(deploymentId)).some((l) => l.text.includes("sleep 300")), 30_000);
    await cancelDeployment(deps, actor, deploymentId);
    const cancelled = await finished(deploymentId);
    expect(cancelled).toMatchObject({ status: "cancelled", error: "Cancelled by a user" });
    expect(await deps.engine.listManaged({ serviceId })).toEqual([]);

    await deps.db.service.update({ where: { id: serviceId }, data: { buildTimeoutS: 2 } });
    fixture.commit({ Dockerfile: helloDockerfile("slow", `RUN echo slow-${randomUUID()} && sleep 30\n`) }, "slow build again", "slow");
    const timedOut = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(timedOut).toMatchObject({ status: "timed_out", error: "The build stage did not finish within 2 s" });
  });

  it("a build printing 100k lines stores every line once, in order, before the deployment ends", async () => {
    // The legacy builder passes every line on; BuildKit clips a step's output past the
    // daemon's BUILDKIT_STEP_LOG_MAX_SPEED/SIZE (lifted by infra/lib/docker.sh when Berth starts dockerd).
    deps.env.BERTH_BUILDER = "legacy";
    onTestFinished(() => {
      deps.env.BERTH_BUILDER = "auto";
    });
    const { actor, teamId } = await seedUser(deps.db);
    fixture.commit({ Dockerfile: helloDockerfile("loud", `RUN echo loud-${randomUUID()} && seq 1 100000\n`) }, "loud build", "loud");
    const serviceId = await gitService(actor, teamId, { branch: "loud" });
    const done = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(done.status).toBe("succeeded");
    const count = await deps.db.buildLogLine.count({ where: { deploymentId: done.id } });
    const max = await deps.db.buildLogLine.aggregate({ where: { deploymentId: done.id }, _max: { seq: true } });
    expect(count).toBeGreaterThan(100_000);
    expect(max._max.seq).toBe(count - 1);
    const numbers = await deps.db.buildLogLine.findMany({
      where: { deploymentId: done.id, text: { in: ["49999", "50000", "100000"] } },
      orderBy: { seq: "asc" },
    });
    expect(numbers.map((l) => l.text)).toEqual(["49999", "50000", "100000"]);
    expect(numbers[1]!.seq).toBe(numbers[0]!.seq + 1);
  }, 120_000);
});
