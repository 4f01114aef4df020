import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openReleaseConfig } from "./release-config.ts";
import { upsertEnvVars } from "../secrets/env-store.ts";
import type { DockerEngine } from "@berth/engine";
import { httpGet, requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { enqueueDeployment } from "./deployments.ts";
import { recoverDeployments, RESTART_REASON } from "./recovery.ts";
import { Reconciler } from "../reconcile/reconciler.ts";
import { DeploymentWorker } from "./worker.ts";
import { isTerminalStatus } from "./statuses.ts";
import { deleteService, getService, startService, stopService } from "../services/services.ts";

const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 2, pollMs: 200 });
const touched: string[] = [];

async function finished(deploymentId: string) {
  return waitFor(
    `deployment ${deploymentId} to finish`,
    async () => {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      return isTerminalStatus(d.status) ? d : null;
    },
    60_000,
  );
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
  it("deploys a service: queued -> releasing -> succeeded as release 1, labelled, answering on 127.0.0.1", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId, projectId } = await seedService(deps.db, teamId, { env: { GREETING: "first-release" } });
    touched.push(serviceId);
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    const queued = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
    expect(["queued", "releasing"]).toContain(queued.status);

    const done = await finished(deploymentId);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    expect(done.releaseMs).toBeGreaterThan(0);
    // An image goes straight to releasing: its one stage began when it was claimed.
    expect(done.stageStartedAt).toEqual(done.startedAt);
    const release = await deps.db.release.findUniqueOrThrow({ where: { deploymentId } });
    expect(release).toMatchObject({ number: 1, image: done.image });
    // The snapshot's environment is sealed at rest and opens to what was deployed.
    expect(JSON.stringify(release.config)).not.toContain("first-release");
    expect(openReleaseConfig(release.config, deps.box)).toMatchObject({
      kind: "web",
      containerPort: 8080,
      env: { GREETING: "first-release" },
      replicas: 1,
      strategy: "start_first",
      volumes: [],
    });
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

  it("a second deploy replaces the first: one container, release 2 live", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId, { env: { GREETING: "v1" } });
    touched.push(serviceId);
    const first = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    await upsertEnvVars(deps.db, deps.box, { projectId: service.projectId, serviceId }, [
      { name: "GREETING", value: "v2", secret: false, buildTime: false, runtime: true },
    ]);
    const second = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);

    expect(second.status).toBe("succeeded");
    expect((await httpGet(second.hostPort!)).body).toContain("v2");
    expect((await deps.db.release.findUniqueOrThrow({ where: { deploymentId: second.id } })).number).toBe(2);
    expect((await getService(deps, actor, serviceId)).liveDeploymentId).toBe(second.id);
    expect(first.status).toBe("succeeded");
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
    expect((await getService(deps, actor, serviceId)).liveDeploymentId).toBe(good.id);
    expect((await httpGet(good.hostPort!)).body).toContain("still-here");
    expect((await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId)).toEqual([good.id]);
  });

  it("a container that never listens times out (health stage) with its last log lines and leaves nothing running", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    // The image serves on 8080; declaring 9999 means nothing ever accepts connections there.
    const { serviceId } = await seedService(deps.db, teamId, { containerPort: 9999 });
    touched.push(serviceId);
    const bad = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
    expect(bad.status).toBe("timed_out");
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

  it("deleting a service while it deploys cancels the deployment first: it ends cancelled, nothing of it is left", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    // Nothing listens on 9999: the release waits in its health gate (up to a minute).
    const { serviceId } = await seedService(deps.db, teamId, { containerPort: 9999 });
    touched.push(serviceId);
    await deps.db.service.update({ where: { id: serviceId }, data: { healthTimeoutS: 60 } });
    const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
    const statuses: string[] = [];
    const off = deps.events.onStatus((e) => {
      if (e.deploymentId === deploymentId) statuses.push(e.status);
    });
    try {
      await waitFor("the release in its health gate", async () => (await deps.engine.listManaged({ serviceId })).length > 0, 30_000);
      await deleteService(deps, actor, serviceId);
      // Ended (and said so) before the service went: not failed afterwards by a gate whose container was taken away.
      expect(statuses).toContain("cancelled");
      expect(statuses).not.toContain("failed");
      expect(await deps.engine.listManaged({ serviceId })).toHaveLength(0);
      expect(await deps.db.service.findUnique({ where: { id: serviceId } })).toBeNull();
    } finally {
      off();
    }
  });

  it("recovery after a crash ends deployments left releasing and removes their containers", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId, projectId } = await seedService(deps.db, teamId);
    touched.push(serviceId);
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    const crashed = await deps.db.deployment.create({
      data: { serviceId, image: service.image, status: "releasing", startedAt: new Date() },
    });
    // The crash happened after the container started but before the deployment was recorded.
    await deps.engine.runRelease({
      owner: { teamId, projectId, serviceId },
      deploymentId: crashed.id,
      serviceName: service.name,
      image: service.image,
      containerPort: 8080,
      env: {},
    });

    await recoverDeployments(deps, new Reconciler(deps, { intervalMs: 0 }), "deployments-int-test");
    const after = await deps.db.deployment.findUniqueOrThrow({ where: { id: crashed.id } });
    expect(after).toMatchObject({ status: "failed", error: RESTART_REASON });
    expect(await deps.engine.listManaged({ serviceId })).toHaveLength(0);
  });

  it("twenty deploys queued at once while one runs: at most one running and one pending, the rest superseded", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    // Nothing listens on 9999: each deployment holds its slot until the per-service health timeout (2 s).
    const { serviceId } = await seedService(deps.db, teamId, { containerPort: 9999 });
    await deps.db.service.update({ where: { id: serviceId }, data: { healthTimeoutS: 2 } });
    touched.push(serviceId);
    const first = (await enqueueDeployment(deps, actor, serviceId)).deploymentId;
    await waitFor(
      "the first deployment to start",
      async () => (await deps.db.deployment.findUniqueOrThrow({ where: { id: first } })).status === "releasing",
    );
    const ids = await Promise.all(Array.from({ length: 20 }, async () => (await enqueueDeployment(deps, actor, serviceId)).deploymentId));
    const counts = async () => {
      const rows = await deps.db.deployment.groupBy({ by: ["status"], where: { serviceId }, _count: true });
      return Object.fromEntries(rows.map((r) => [r.status, r._count]));
    };
    expect(await counts()).toEqual({ releasing: 1, queued: 1, superseded: 19 });
    const superseded = await deps.db.deployment.findMany({ where: { id: { in: ids }, status: "superseded" } });
    expect(superseded[0]!.error).toMatch(/Superseded by a newer deployment/);
    const last = await deps.db.deployment.findFirstOrThrow({ where: { id: { in: ids }, status: "queued" } });
    const done = await finished(last.id);
    expect(done).toMatchObject({ status: "timed_out", error: expect.stringMatching(/within 2 s/) });
    expect(await counts()).toEqual({ timed_out: 2, superseded: 19 });
  });
});
