import { afterAll, expect, it } from "vitest";
import { seedService, seedUser, testDeps, TEST_IMAGE, waitFor } from "../../test/harness.ts";
import { enqueue } from "./deployments.ts";
import { PgDeploymentEvents } from "./pg-events.ts";
import { DeploymentWorker } from "./worker.ts";

// Two processes' worth of wiring on one database: the web side queues (its deps.queue reaches
// no worker), the worker side runs a worker whose fallback poll would come only after the test.
const web = testDeps();
const other = testDeps();
const databaseUrl = web.env.DATABASE_URL;
web.events = new PgDeploymentEvents({ db: web.db, log: web.log, databaseUrl });
const otherEvents = new PgDeploymentEvents({ db: other.db, log: other.log, databaseUrl });
other.events = otherEvents;
otherEvents.start();
const worker = new DeploymentWorker(other, { name: `wake-${process.pid}`, concurrency: 8, pollMs: 600_000 });
const services: { projectId: string; serviceId: string }[] = [];
let heldId = "";

afterAll(async () => {
  // A failed run leaves the held deployment at its gate: end it, or stop() waits for its deadline.
  if (heldId) worker.cancel(heldId);
  await worker.stop();
  for (const { projectId, serviceId } of services) {
    await other.engine.removeService(serviceId);
    await other.engine.pruneNetworks({ projectId });
  }
  await (web.events as PgDeploymentEvents).close();
  await otherEvents.close();
  await web.db.$disconnect();
  await other.db.$disconnect();
});

const statusOf = async (id: string) => (await web.db.deployment.findUniqueOrThrow({ where: { id } })).status;

it("a deployment queued by another process wakes the worker through LISTEN, not its next poll", async () => {
  const { teamId } = await seedUser(web.db);
  // Held at its health gate (nothing listens on 9999) so the worker's first look for work is
  // over, with its next poll ten minutes away, before the second deployment is queued.
  const held = await seedService(web.db, teamId, { containerPort: 9999 });
  const woken = await seedService(web.db, teamId);
  services.push(held, woken);
  await web.db.service.update({ where: { id: held.serviceId }, data: { healthTimeoutS: 300 } });
  const first = await enqueue(web, { serviceId: held.serviceId, teamId, trigger: "user", actorId: null, image: TEST_IMAGE, config: null });
  heldId = first.deploymentId;
  worker.start();
  await waitFor(
    "the held deployment's container",
    async () => (await other.engine.listManaged({ serviceId: held.serviceId })).some((c) => c.deploymentId === first.deploymentId),
    60_000,
  );

  const second = await enqueue(web, {
    serviceId: woken.serviceId,
    teamId,
    trigger: "user",
    actorId: null,
    image: TEST_IMAGE,
    config: null,
  });
  await waitFor("the second deployment to be released", async () => (await statusOf(second.deploymentId)) === "succeeded", 90_000);
  expect(await statusOf(first.deploymentId)).toBe("releasing");
  worker.cancel(first.deploymentId);
  await waitFor("the held deployment cancelled", async () => (await statusOf(first.deploymentId)) === "cancelled", 60_000);
}, 240_000);
