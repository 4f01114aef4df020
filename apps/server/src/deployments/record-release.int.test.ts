import { afterAll, describe, expect, it } from "vitest";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { BuildLogSink } from "./log-sink.ts";
import { recordRelease } from "./record-release.ts";
import { currentReleaseConfig, openReleaseConfig } from "./release-config.ts";
import type { RunContext } from "./run-context.ts";
import { stageTimeoutsMs } from "./stage-timeouts.ts";

/** Recording a release against the real Postgres: all of it, or nothing when the deployment ended elsewhere. */
const deps = testDeps();

afterAll(async () => {
  await deps.db.$disconnect();
});

async function releasingDeployment(status: "releasing" | "cancelled" = "releasing") {
  const { teamId } = await seedUser(deps.db);
  const { serviceId } = await seedService(deps.db, teamId, { env: { GREETING: "recorded" } });
  await deps.db.service.update({ where: { id: serviceId }, data: { desiredState: "stopped" } });
  const service = await deps.db.service.findUniqueOrThrow({
    where: { id: serviceId },
    include: { project: { select: { id: true, name: true, teamId: true } } },
  });
  const deployment = await deps.db.deployment.create({
    data: { serviceId, image: "berth-test/hello:latest", status, commitSha: "abc123", startedAt: new Date() },
  });
  const sink = new BuildLogSink({ db: deps.db, log: deps.log, events: deps.events, deploymentId: deployment.id });
  const ctx: RunContext = {
    deps,
    deployment,
    service,
    sink,
    variables: { runtime: {}, buildArgs: {}, buildSecrets: {}, secretValues: [], problems: [] },
    cancel: new AbortController().signal,
    timeoutsMs: stageTimeoutsMs(service),
  };
  const config = await currentReleaseConfig(deps.db, deps.box, service);
  return { ctx, config, serviceId, deploymentId: deployment.id };
}

const instance = { containerId: "c0ffee", hostPort: 49152, imageId: "sha256:feed", repoDigest: null };

describe("recording a release", () => {
  it("records the deployment succeeded, the numbered release with its sealed config, and the service running; leased while the old one retires", async () => {
    const { ctx, config, serviceId, deploymentId } = await releasingDeployment();
    const before = Date.now();
    await recordRelease(ctx, { config, instance, number: 7, releaseMs: 321, retiring: true });

    const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(d).toMatchObject({ status: "succeeded", containerId: "c0ffee", hostPort: 49152, imageId: "sha256:feed", imageDigest: null });
    expect({ error: d.error, releaseMs: d.releaseMs }).toEqual({ error: null, releaseMs: 321 });
    // UTC like every timestamp Prisma writes: within this test's own clock.
    expect(d.finishedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(d.finishedAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);

    const release = await deps.db.release.findUniqueOrThrow({ where: { deploymentId } });
    expect(release).toMatchObject({ serviceId, number: 7, image: "berth-test/hello:latest", imageId: "sha256:feed", commitSha: "abc123" });
    expect(openReleaseConfig(release.config, deps.box)?.env).toEqual({ GREETING: "recorded" });
    expect(JSON.stringify(release.config)).not.toContain("recorded");

    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    expect(service.desiredState).toBe("running");
    expect(service.reconcilingUntil!.getTime()).toBeGreaterThan(Date.now());
    const lines = await deps.db.buildLogLine.findMany({ where: { deploymentId } });
    expect(lines.map((l) => l.text)).toContain("Release 7 is live (image sha256:feed)");
  });

  it("without an old release to retire, leaves the service unleased", async () => {
    const { ctx, config, serviceId } = await releasingDeployment();
    await recordRelease(ctx, { config, instance, number: 1, releaseMs: 5 });
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    expect({ desiredState: service.desiredState, reconcilingUntil: service.reconcilingUntil }).toEqual({
      desiredState: "running",
      reconcilingUntil: null,
    });
  });

  it("records nothing when the deployment was ended elsewhere meanwhile", async () => {
    const { ctx, config, serviceId, deploymentId } = await releasingDeployment("cancelled");
    await expect(recordRelease(ctx, { config, instance, number: 1, releaseMs: 5, retiring: true })).rejects.toThrow(
      /ended elsewhere while it released/,
    );
    expect(await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } })).toMatchObject({
      status: "cancelled",
      containerId: null,
    });
    expect(await deps.db.release.count({ where: { serviceId } })).toBe(0);
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    expect({ desiredState: service.desiredState, reconcilingUntil: service.reconcilingUntil }).toEqual({
      desiredState: "stopped",
      reconcilingUntil: null,
    });
  });

  it("records nothing when the release number is taken (the unique index): the deployment stays releasing", async () => {
    const first = await releasingDeployment();
    await recordRelease(first.ctx, { config: first.config, instance, number: 1, releaseMs: 5 });
    const other = await deps.db.deployment.create({
      data: { serviceId: first.serviceId, image: "berth-test/hello:latest", status: "releasing" },
    });
    const ctx = { ...first.ctx, deployment: other };
    await expect(recordRelease(ctx, { config: first.config, instance, number: 1, releaseMs: 5 })).rejects.toThrow();
    expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: other.id } })).status).toBe("releasing");
    expect(await deps.db.release.count({ where: { serviceId: first.serviceId } })).toBe(1);
    await deps.db.deployment.update({ where: { id: other.id }, data: { status: "failed", finishedAt: new Date() } });
  });
});
