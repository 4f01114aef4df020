import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadService } from "../teams/access.ts";
import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import type { DockerEngine } from "@berth/engine";
import { helloDockerfile, startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import {
  allowLocalSources,
  createGitService,
  deploymentWorker,
  finishedDeployment,
  removeServiceEverywhere,
} from "../../test/deploy-harness.ts";
import { requireTestImage, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { buildRepository } from "./build-stage.ts";
import { enqueueDeployment, listDeployments, rollbackToRelease } from "./deployments.ts";

const deps = testDeps();
deps.env.BERTH_RETAIN_RELEASES = 2;
const worker = deploymentWorker(deps);
const docker = new Docker({ socketPath: "/var/run/docker.sock", version: "v1.41" });
let fixture: GitFixture;
let serviceId = "";
let jobId = "";
let volumeName = "";

const finished = (deploymentId: string) => finishedDeployment(deps, deploymentId);

/** Every builder-cache prune retention asks of the (real) engine, by budget: only a deployment that built grew the cache. */
const cachePrunes: number[] = [];
const pruneBuildCache = deps.engine.pruneBuildCache.bind(deps.engine);
deps.engine.pruneBuildCache = (keepBytes) => {
  cachePrunes.push(keepBytes);
  return pruneBuildCache(keepBytes);
};
/** Retention ends with the cache prune, after the status turned succeeded (and the old release was retired). */
const prunedCacheTimes = (count: number) =>
  waitFor(`${count} builder-cache prune(s)`, async () => cachePrunes.length >= count, 15_000).then(() => cachePrunes.length);

/** Retention runs right after the status turns succeeded (the old release is retired first). */
async function settledTags(repository: string, expected: string[]): Promise<string[]> {
  let last: string[] = [];
  await waitFor(
    `the tags of ${repository}`,
    async () => {
      last = await tagsOf(repository);
      return JSON.stringify(last) === JSON.stringify([...expected].sort());
    },
    15_000,
  ).catch(() => undefined);
  return last;
}

async function tagsOf(repository: string): Promise<string[]> {
  const images = await docker.listImages({ filters: { reference: [repository] } });
  return images.flatMap((i) => (i.RepoTags ?? []).filter((t) => t.startsWith(`${repository}:`))).sort();
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  fixture = await startGitFixture({ Dockerfile: helloDockerfile(`r1-${randomUUID()}`) });
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  if (serviceId !== "") await removeServiceEverywhere(deps, serviceId);
  if (jobId !== "") await removeServiceEverywhere(deps, jobId);
  if (volumeName !== "") await docker.getVolume(volumeName).remove();
  await allowLocalSources(deps, false);
  await fixture.close();
  await deps.db.$disconnect();
});

describe("image retention after each successful deployment", () => {
  it("a job built from git (no releases) keeps the images of its last N succeeded runs; older builds and the builder's cache are pruned", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const created = await createGitService(deps, actor, teamId, { url: fixture.url }, { kind: "worker", containerPort: undefined });
    jobId = created.serviceId;
    await deps.db.service.update({ where: { id: jobId }, data: { job: true } });
    const images: string[] = [];
    for (const n of [1, 2, 3]) {
      // Each run's image is a new build that exits 0 at once.
      fixture.commit({ Dockerfile: helloDockerfile(`job-${n}-${randomUUID()}`, 'ENTRYPOINT ["true"]\n') }, `job ${n}`);
      const run = await finished((await enqueueDeployment(deps, actor, jobId)).deploymentId);
      expect(run).toMatchObject({ status: "succeeded", error: null });
      images.push(run.image);
    }
    expect(await deps.db.release.count({ where: { serviceId: jobId } })).toBe(0);
    const kept = images.slice(-2);
    expect(await settledTags(buildRepository(jobId), kept)).toEqual([...kept].sort());
    expect(await prunedCacheTimes(3)).toBe(3);
    cachePrunes.length = 0;
  }, 180_000);

  it("keeps the last N releases' images and release tags (and what is live), removes older and failed builds, never volumes; rollback reaches only retained releases", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const created = await createGitService(deps, actor, teamId, { url: fixture.url });
    serviceId = created.serviceId;
    volumeName = `berth-${created.projectId}-data`;
    await docker.createVolume({
      Name: volumeName,
      Labels: { "io.berth.managed-by": "berth", "io.berth.team": teamId, "io.berth.project": created.projectId },
    });
    const repository = buildRepository(serviceId);
    const deploy = async () => finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);

    fixture.commit({ Dockerfile: helloDockerfile(`r1-${randomUUID()}`) }, "first");
    const d1 = await deploy();
    expect(d1.status).toBe("succeeded");
    expect(await prunedCacheTimes(1)).toBe(1);
    expect(cachePrunes[0]).toBe(deps.env.BERTH_BUILD_CACHE_GB * 1024 ** 3);
    // A build whose release fails leaves a build image behind until the next success.
    fixture.commit({ Dockerfile: helloDockerfile(`r2-${randomUUID()}`) }, "never healthy");
    await deps.db.service.update({ where: { id: serviceId }, data: { containerPort: 9999, healthTimeoutS: 2 } });
    const d2 = await deploy();
    expect(d2.status).toBe("timed_out");
    expect(await tagsOf(repository)).toEqual([d1.image, d2.image].sort());
    await deps.db.service.update({ where: { id: serviceId }, data: { containerPort: 8080, healthTimeoutS: null } });
    fixture.commit({ Dockerfile: helloDockerfile(`r3-${randomUUID()}`) }, "third");
    const d3 = await deploy();
    fixture.commit({ Dockerfile: helloDockerfile(`r4-${randomUUID()}`) }, "fourth");
    const d4 = await deploy();
    expect([d3.status, d4.status]).toEqual(["succeeded", "succeeded"]);
    // d1, d3 and d4 built and succeeded; d2's build was followed by a failed release (no retention).
    expect(await prunedCacheTimes(3)).toBe(3);

    // Releases #2 (d3) and #3 (d4) are retained; #1's and the failed build's images are gone.
    expect(await settledTags(repository, [d3.image, d4.image])).toEqual([d3.image, d4.image].sort());
    const imageOfD1 = await docker
      .getImage(d1.image)
      .inspect()
      .then(
        () => 200,
        (err: { statusCode?: number }) => err.statusCode,
      );
    expect(imageOfD1).toBe(404);
    // The release tags are pruned after the build images: wait for that step too.
    let releaseTags: string[] = [];
    await waitFor(
      "at most 2 release tags",
      async () => (releaseTags = await tagsOf(`berth-release/${serviceId}`)).length <= 2,
      15_000,
    ).catch(() => undefined);
    expect(releaseTags.length).toBeLessThanOrEqual(2);
    expect((await docker.getVolume(volumeName).inspect()).Name).toBe(volumeName);

    const listed = await listDeployments(deps, (await loadService(deps.db, actor, serviceId, "viewer")).service);
    expect(listed.filter((d) => d.release).map((d) => [d.release!.number, d.release!.retained])).toEqual([
      [3, true],
      [2, true],
      [1, false],
    ]);
    const release1 = await deps.db.release.findUniqueOrThrow({ where: { deploymentId: d1.id } });
    await expect(rollbackToRelease(deps, actor, release1.id)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "Release #1 is no longer retained: only the last 2 releases keep their images",
    });
    const release2 = await deps.db.release.findUniqueOrThrow({ where: { deploymentId: d3.id } });
    const back = await finished((await rollbackToRelease(deps, actor, release2.id)).deploymentId);
    expect(back).toMatchObject({ status: "succeeded", image: d3.image });
    // The rollback is release #4 (d3's image again): releases #3 and #4 keep d4's and d3's images.
    expect(await settledTags(repository, [d3.image, d4.image])).toEqual([d3.image, d4.image].sort());
    // Release tags: the retained releases' only. d3's went although its image stays (the rollback
    // re-released it under its own tag): an image redeployed does not keep a tag per deployment.
    const releaseTagsOf = [d4.id, back.id].map((id) => `berth-release/${serviceId}:${id}`);
    expect(await settledTags(`berth-release/${serviceId}`, releaseTagsOf)).toEqual(releaseTagsOf.sort());
    // Every job has ended once the worker stopped, the rollback's retention included: a rollback
    // built nothing, so the builder's cache was left alone.
    await worker.stop();
    expect(cachePrunes).toHaveLength(3);
  }, 180_000);
});
