import { afterAll, expect, it } from "vitest";
import { runReleaseDirectly } from "../../test/running-service.ts";
import { testDeps, waitFor } from "../../test/harness.ts";
import { Reconciler } from "./reconciler.ts";

/**
 * A service is left alone while it deploys. When that deployment ends (here: failed, as one does
 * when the engine went away mid-release), the reconciler looks again at once -- with no periodic
 * pass and no engine event to wake it, the live release that should run is started again.
 */
const deps = testDeps();
let reconciler: Reconciler | undefined;
let serviceId = "";

afterAll(async () => {
  await reconciler?.stop();
  if (serviceId) await deps.engine.removeService(serviceId);
  await deps.db.$disconnect();
}, 60_000);

it("starts a stopped live release as soon as the deployment that held the service ends", async () => {
  const released = await runReleaseDirectly(deps);
  serviceId = released.serviceId;
  const service = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId } });
  const inFlight = await deps.db.deployment.create({
    data: { serviceId, image: service.image, status: "releasing", startedAt: new Date() },
  });
  await deps.engine.stopService(serviceId, 0);
  const running = async () => (await deps.engine.listManaged({ serviceId })).some((c) => c.state === "running");
  expect(await running()).toBe(false);

  reconciler = new Reconciler(deps, { intervalMs: 0 });
  reconciler.start();
  // While the deployment holds the service, a pass leaves it stopped.
  const held = await reconciler.pass("test");
  expect(held?.actions.filter((a) => a.serviceId === serviceId)).toEqual([]);
  expect(await running()).toBe(false);

  await deps.db.deployment.update({
    where: { id: inFlight.id },
    data: { status: "failed", finishedAt: new Date(), error: "the engine went away" },
  });
  deps.events.publishStatus({ deploymentId: inFlight.id, serviceId, teamId: released.teamId, status: "failed" });
  await waitFor("the live release running again", running, 20_000);
}, 90_000);
