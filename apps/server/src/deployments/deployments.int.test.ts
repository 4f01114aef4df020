import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { httpGet, requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { enqueueDeployment } from "./deployments.ts";
import { recoverDeployments, RESTART_REASON } from "./recovery.ts";
import { DeploymentWorker } from "./worker.ts";
import { deleteService, getService, startService, stopService } from "../services/services.ts";

const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 200 });
deps.wakeWorker = worker.wake;
const touched: string[] = [];

async function finished(deploymentId: string) {
  return waitFor(`deployment ${deploymentId} to finish`, async () => {
    const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    return d.status === "running" || d.status === "failed" ? d : null;
  }, 60_000);
}

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  for (const serviceId of touched) await deps.engine.removeService(serviceId);
  await deps.db.$disconnect();
});

describe("deployment state machine (real Postgres + Docker Engine)", () => {
  it("deploys a service: queued -> deploying -> running, labelled, answering on 127.0.0.1", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId, projectId } = await seedService(deps.db, teamId, { env: { GREETING: "first-release" } });
    touched.push(serviceId);
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    const queued = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(["queued", "deploying"]).toContain(queued.status);

    const done = await finished(deploymentId);
    expect(done.error).toBeNull();
    expect(done.status).toBe("running");
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt!.getTime()).toBeGreaterThanOrEqual(done.startedAt!.getTime());
    expect(done.hostPort).toBeGreaterThan(0);
    expect((await httpGet(done.hostPort!)).body).toContain("first-release");

    const [container, ...others] = await deps.engine.listManaged({ serviceId });
    expect(others).toHaveLength(0);
    expect(container).toMatchObject({ deploymentId, state: "running", owner: { teamId, projectId, serviceId } });

    const view = await getService(deps, actor, serviceId);
    expect(view.runtime).toMatchObject({ state: "running", url: `http://127.0.0.1:${done.hostPort}` });
  });

  it("a second deploy replaces the first: one container, the old deployment stopped", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId, { env: { GREETING: "v1" } });
    touched.push(serviceId);
    const first = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    await deps.db.service.update({ where: { id: serviceId }, data: { env: { GREETING: "v2" } } });
    const second = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);

    expect(second.status).toBe("running");
    expect((await httpGet(second.hostPort!)).body).toContain("v2");
    expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("stopped");
    // The old release is retired right after the new one is recorded as running.
    await waitFor("the old release to be removed", async () => (await deps.engine.listManaged({ serviceId })).length === 1);
    const containers = await deps.engine.listManaged({ serviceId });
    expect(containers.map((c) => c.deploymentId)).toEqual([second.id]);
  });

  it("an image that cannot be pulled fails with the engine's reason and leaves the previous release serving", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId, { env: { GREETING: "still-here" } });
    touched.push(serviceId);
    const good = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    await deps.db.service.update({ where: { id: serviceId }, data: { image: "berth-test/does-not-exist:1" } });
    const bad = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);

    expect(bad.status).toBe("failed");
    expect(bad.error).toMatch(/berth-test\/does-not-exist:1/);
    expect(bad.finishedAt).not.toBeNull();
    expect((await deps.db.deployment.findUniqueOrThrow({ where: { id: good.id } })).status).toBe("running");
    expect((await httpGet(good.hostPort!)).body).toContain("still-here");
    expect((await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId)).toEqual([good.id]);
  });

  it("a container that never listens fails with its last log lines and leaves nothing running", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    // The image serves on 8080; declaring 9999 means nothing ever accepts connections there.
    const { serviceId } = await seedService(deps.db, teamId, { containerPort: 9999 });
    touched.push(serviceId);
    const bad = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(bad.status).toBe("failed");
    expect(bad.error).toMatch(/did not accept connections on port 9999 within 5 s/);
    expect(bad.error).toMatch(/hello line/);
    expect(await deps.engine.listManaged({ serviceId })).toHaveLength(0);
  }, 120_000);

  it("stop, start and delete act on the engine; delete leaves no container", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    touched.push(serviceId);
    await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);

    await stopService(deps, actor, serviceId);
    expect((await getService(deps, actor, serviceId)).runtime.state).toBe("exited");
    expect((await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } })).desiredState).toBe("stopped");
    await startService(deps, actor, serviceId);
    expect((await getService(deps, actor, serviceId)).runtime.state).toBe("running");

    await deleteService(deps, actor, serviceId);
    expect(await deps.engine.listManaged({ serviceId })).toHaveLength(0);
    expect(await deps.db.service.findUnique({ where: { id: serviceId } })).toBeNull();
  });

  it("recovery after a crash ends deployments left deploying and removes their containers", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId, projectId } = await seedService(deps.db, teamId);
    touched.push(serviceId);
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const crashed = await deps.db.deployment.create({ data: { serviceId, image: service.image, status: "deploying", startedAt: new Date() } });
    // The crash happened after the container started but before the deployment was recorded.
    await deps.engine.runRelease({
      owner: { teamId, projectId, serviceId },
      deploymentId: crashed.id,
      serviceName: service.name,
      image: service.image,
      containerPort: 8080,
      env: {},
    });

    await recoverDeployments(deps);
    const after = await deps.db.deployment.findUniqueOrThrow({ where: { id: crashed.id } });
    expect(after).toMatchObject({ status: "failed", error: RESTART_REASON });
    expect(await deps.engine.listManaged({ serviceId })).toHaveLength(0);
  });

  it("twenty deploy clicks while one is queued coalesce into one queued deployment", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    touched.push(serviceId);
    await worker.stop();
    try {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
      expect(ids.size).toBe(1);
      expect(await deps.db.deployment.count({ where: { serviceId } })).toBe(1);
    } finally {
      worker.start();
    }
    await finished([...(await deps.db.deployment.findMany({ where: { serviceId } }))][0]!.id);
  });
});
