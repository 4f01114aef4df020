import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { requireTeamRole } from "../teams/access.ts";
import { afterAll, describe, expect, it } from "vitest";
import { buildReleaseImageRef } from "@berth/engine";
import { seedService, seedUser, testDeps, TEST_IMAGE } from "../../test/harness.ts";
import { buildTag } from "../deployments/build-stage.ts";
import { getTeamOverview } from "../overview/overview.ts";
import { getHostDisk, reclaimSpace } from "./host.ts";

const deps = testDeps();
const docker = new Docker();
const repository = `berth-build/reclaim-${randomUUID()}`;
const tags: string[] = [];
const owner = { userId: "", instanceRole: "owner" as const };

afterAll(async () => {
  await deps.engine.removeRepositoryImages(repository).catch(() => 0);
  await deps.db.$disconnect();
});

/** Three distinct images in one Berth repository, oldest first (the engine dates images to the second). */
async function buildThree(): Promise<void> {
  for (const n of [1, 2, 3]) {
    const tag = `${repository}:build-${n}`;
    await deps.engine.buildImage({
      tag,
      files: [{ name: "Dockerfile", data: `FROM ${TEST_IMAGE}\nRUN echo "${repository}-${n}" > /reclaim-test\n` }],
    });
    tags.push(tag);
    await new Promise((r) => setTimeout(r, 1_100));
  }
}

const present = async () =>
  (await deps.engine.diskUsage()).images
    .flatMap((i) => i.tags)
    .filter((t) => t.startsWith(`${repository}:`))
    .sort();

describe("reclaiming disk space (real engine)", () => {
  it("a dry run lists exactly what the real run removes, and removes nothing; the real run keeps the kept tag and the base image", async () => {
    await buildThree();
    const retain = { repositories: [repository], keepTags: [tags[2]!] };
    const dry = await deps.engine.reclaimSpace({ dryRun: true, retain, sweep: false });
    expect(
      dry.images
        .map((i) => i.tags)
        .flat()
        .sort(),
    ).toEqual([tags[0], tags[1]]);
    expect(dry.images.every((i) => i.reason === "beyond-retention")).toBe(true);
    expect(dry.buildCache).toEqual([]);
    expect(await present()).toEqual([...tags].sort());

    const real = await deps.engine.reclaimSpace({ dryRun: false, retain, sweep: false });
    expect(real.failures).toEqual([]);
    expect(
      real.images
        .map((i) => i.tags)
        .flat()
        .sort(),
    ).toEqual(
      dry.images
        .map((i) => i.tags)
        .flat()
        .sort(),
    );
    expect(await present()).toEqual([tags[2]]);
    // The image they were built from (a user's tag) is never touched.
    expect((await deps.engine.diskUsage()).images.some((i) => i.tags.includes(TEST_IMAGE))).toBe(true);
  }, 60_000);

  it("keeps each service's retained releases however old, removes the rest of its tags, and leaves repositories no service here owns", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    owner.userId = actor.userId;
    const { serviceId } = await seedService(deps.db, teamId);
    const image = `${repository}:per-release`;
    await deps.engine.buildImage({
      tag: image,
      files: [{ name: "Dockerfile", data: `FROM ${TEST_IMAGE}\nRUN echo "${serviceId}" > /kept\n` }],
    });
    tags.push(image);
    const config = { containerPort: 8080, env: {} };
    const ids: string[] = [];
    for (const number of [1, 2, 3]) {
      const d = await deps.db.deployment.create({ data: { serviceId, image, status: "succeeded", finishedAt: new Date(), config } });
      await deps.db.release.create({ data: { serviceId, number, deploymentId: d.id, image: buildTag(serviceId, d.id), config } });
      ids.push(d.id);
    }
    // One image behind every tag (an image redeployed keeps one tag per deployment), the oldest
    // release's build kept although newer builds of other services exist: retention is per release.
    const build = (id: string) => buildTag(serviceId, id);
    const release = (id: string) => buildReleaseImageRef(serviceId, id).ref;
    const foreign = `berth-build/${randomUUID()}:not-ours`;
    for (const ref of [...ids.map(build), ...ids.map(release), foreign]) {
      const at = ref.lastIndexOf(":");
      await docker.getImage(image).tag({ repo: ref.slice(0, at), tag: ref.slice(at + 1) });
    }
    const ours = async () =>
      (await deps.engine.diskUsage()).images
        .flatMap((i) => i.tags)
        .filter((t) => t.includes(serviceId) || t === foreign)
        .sort();
    const keepTwo = { ...deps, env: { ...deps.env, BERTH_RETAIN_RELEASES: 2 } };
    try {
      const dry = await reclaimSpace(keepTwo, owner, { dryRun: true });
      const listed = dry.images.flatMap((i) => i.tags).filter((t) => t.includes(serviceId) || t === foreign);
      expect(listed.sort()).toEqual([build(ids[0]!), release(ids[0]!)].sort());
      await reclaimSpace(keepTwo, owner, { dryRun: false });
      expect(await ours()).toEqual([build(ids[1]!), build(ids[2]!), release(ids[1]!), release(ids[2]!), foreign].sort());
    } finally {
      for (const ref of [...ids.map(build), ...ids.map(release), foreign])
        await docker
          .getImage(ref)
          .remove()
          .catch(() => undefined);
    }
  }, 60_000);

  it("the use case: instance owner only; a dry run writes no audit event, a real run is audited", async () => {
    const { actor } = await seedUser(deps.db);
    owner.userId = actor.userId;
    await expect(reclaimSpace(deps, actor, { dryRun: true })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(getHostDisk(deps, actor)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(reclaimSpace(deps, { ...owner, token: { id: "t", teamId: "x", scope: "admin" } }, { dryRun: true })).rejects.toMatchObject(
      { code: "FORBIDDEN" },
    );

    const audits = () => deps.db.auditEvent.count({ where: { actorId: owner.userId, action: "host.reclaim" } });
    const preview = await reclaimSpace(deps, owner, { dryRun: true });
    expect(preview.dryRun).toBe(true);
    expect(preview.freedBytes).toBe(0);
    expect(await audits()).toBe(0);

    const done = await reclaimSpace(deps, owner, { dryRun: false });
    expect(done.dryRun).toBe(false);
    expect(await audits()).toBe(1);
    const event = await deps.db.auditEvent.findFirstOrThrow({ where: { actorId: owner.userId, action: "host.reclaim" } });
    expect(event.detail).toMatchObject({ images: done.images.length, failures: done.failures.length });
  }, 60_000);

  it("host disk: the data root's filesystem with the warning threshold, the engine's use by kind; pressure comes first in the overview", async () => {
    const pressed = { ...deps, env: { ...deps.env, BERTH_DISK_WARN_PERCENT: 1 } };
    const disk = await getHostDisk(pressed, owner);
    expect(disk).toMatchObject({ warnPercent: 1, pressure: true });
    const { actor, teamId } = await seedUser(deps.db);
    const overview = await getTeamOverview(pressed, { id: teamId, role: await requireTeamRole(pressed.db, actor, teamId, "viewer") });
    expect(overview.attention[0]).toMatchObject({ kind: "disk_pressure", serviceId: null });
    expect((await getHostDisk(deps, owner)).warnPercent).toBe(85);
    expect(disk.totalBytes).toBeGreaterThan(disk.availableBytes);
    expect(disk.usedPercent).toBeGreaterThan(0);
    expect(disk.engine.imagesBytes).toBeGreaterThan(0);
    expect(disk.dataRoot).toMatch(/^\//);
  });
});
