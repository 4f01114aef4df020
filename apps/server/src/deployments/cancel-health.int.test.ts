import { afterAll, beforeAll, expect, it } from "vitest";
import type { DockerEngine } from "@berth/engine";
import { deploymentWorker, finishedDeployment } from "../../test/deploy-harness.ts";
import { httpGet, requireTestImage, seedService, seedUser, testDeps, waitFor } from "../../test/harness.ts";
import { cancelDeployment, enqueueDeployment } from "./deployments.ts";

const deps = testDeps();
const worker = deploymentWorker(deps);
let serviceId = "";

const finished = (deploymentId: string) => finishedDeployment(deps, deploymentId, 60_000);

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  worker.start();
});

afterAll(async () => {
  await worker.stop();
  if (serviceId !== "") await deps.engine.removeService(serviceId);
  await deps.db.$disconnect();
});

it("cancel during the health gate ends the deployment before the gate would, removes only its container, and the old release keeps serving", async () => {
  const { actor, teamId } = await seedUser(deps.db);
  ({ serviceId } = await seedService(deps.db, teamId));
  const good = await finished((await enqueueDeployment(deps, actor, serviceId)).deploymentId);
  expect(good.status).toBe("succeeded");

  // The new release never listens on its port and may wait 120 s in the gate.
  await deps.db.service.update({ where: { id: serviceId }, data: { containerPort: 9999, healthTimeoutS: 120 } });
  const { deploymentId } = await enqueueDeployment(deps, actor, serviceId);
  await waitFor(
    "the new container in the health gate",
    async () =>
      (await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } })).status === "releasing" &&
      (await deps.engine.listManaged({ serviceId })).some((c) => c.deploymentId === deploymentId && c.state === "running"),
    30_000,
  );

  await cancelDeployment(deps, actor, deploymentId);
  // finished() waits at most 60 s, half the gate's 120 s: a cancel that left the gate running
  // could not end the deployment in time.
  const cancelled = await finished(deploymentId);
  expect(cancelled).toMatchObject({ status: "cancelled", error: "Cancelled by a user" });
  expect((await deps.engine.listManaged({ serviceId })).map((c) => c.deploymentId)).toEqual([good.id]);
  expect((await httpGet(good.hostPort!)).status).toBe(200);
}, 90_000);
