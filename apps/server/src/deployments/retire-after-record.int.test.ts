import { randomUUID } from "node:crypto";
import Docker from "dockerode";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { httpGet, requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { finishedDeployment } from "../../test/deploy-harness.ts";
import { buildGreetingImage } from "../../test/greeting-image.ts";
import { Reconciler } from "../reconcile/reconciler.ts";
import { upsertEnvVars } from "../secrets/env-store.ts";
import { enqueueDeployment } from "./deployments.ts";
import { DeploymentWorker } from "./worker.ts";

/**
 * A redeploy is live (recorded `succeeded`) once the new release has the traffic; the old
 * release drains and stops after that (retire-old-release.ts). Its process here takes 6 s to
 * stop after SIGTERM, as an app finishing its requests does: the deployment does not wait for
 * it, and while it stops the service is leased, so a reconciler pass does not force-remove it.
 */
const SLOW_STOP_IMAGE = `berth-test/slow-stop:${randomUUID().slice(0, 8)}`;

const deps = testDeps();
const worker = new DeploymentWorker(deps, { concurrency: 1, pollMs: 200 });
let serviceId = "";

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await buildGreetingImage(deps, SLOW_STOP_IMAGE, 6);
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  if (serviceId) await deps.engine.removeService(serviceId);
  await new Docker({ socketPath: "/var/run/docker.sock" }).getImage(SLOW_STOP_IMAGE).remove({ force: true });
  await deps.db.$disconnect();
}, 60_000);

it("a redeploy is recorded live before the old release has stopped; the old one is retired after, untouched by the reconciler", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  ({ serviceId } = await seedService(deps.db, teamId, { image: SLOW_STOP_IMAGE, env: { GREETING: "v1" } }));
  const first = await finishedDeployment(deps, (await enqueueDeployment(deps, actor, serviceId)).deploymentId);
  expect({ status: first.status, error: first.error }).toEqual({ status: "succeeded", error: null });
  const { projectId } = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
  await upsertEnvVars(deps.db, deps.box, { projectId, serviceId }, [
    { name: "GREETING", value: "v2", secret: false, buildTime: false, runtime: true },
  ]);

  const second = await finishedDeployment(deps, (await enqueueDeployment(deps, actor, serviceId)).deploymentId);
  expect({ status: second.status, error: second.error }).toEqual({ status: "succeeded", error: null });
  // Live: the new release answers, while the old one is still in its 6 s shutdown.
  expect((await httpGet(second.hostPort!)).body).toContain("v2");
  const during = await deps.engine.listManaged({ serviceId });
  expect(during.map((c) => c.deploymentId).sort()).toEqual([first.id, second.id].sort());
  const leased = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
  expect(leased.reconcilingUntil?.getTime()).toBeGreaterThan(Date.now());

  // The old container is not the live release, but the lease keeps the reconciler's hands off it.
  const pass = await new Reconciler(deps, { intervalMs: 0 }).pass("test");
  expect(pass?.actions.filter((a) => a.serviceId === serviceId)).toEqual([{ kind: "remove", serviceId, outcome: "skipped" }]);
  expect((await deps.engine.listManaged({ serviceId })).some((c) => c.deploymentId === first.id)).toBe(true);

  // Then the retirement ends: the old container is gone and the service is free again.
  await waitFor("the old release to be retired", async () => (await deps.engine.listManaged({ serviceId })).length === 1, 30_000);
  expect((await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId)).toEqual([second.id]);
  await waitFor("the service's lease to be released", async () => {
    const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
    return service.reconcilingUntil === null;
  });
  expect((await httpGet(second.hostPort!)).body).toContain("v2");
}, 120_000);
