import { afterAll, describe, expect, it } from "vitest";
import { claimNextDeployment } from "../deployments/claim.ts";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { releaseLease, takeLease } from "./lease.ts";

/** The reconciler and the deployment queue never act on one service at once (real Postgres). */
const deps = testDeps();

afterAll(async () => {
  await deps.db.$disconnect();
});

describe("the reconciler's lease and the deployment queue", () => {
  it("no lease while a deployment of the service is in progress; a leased service's queued deployment waits for the lease to end", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    const live = await deps.db.deployment.create({ data: { serviceId, image: "x", status: "succeeded", finishedAt: new Date() } });

    const lease = await takeLease(deps.db, serviceId);
    expect(lease).toEqual({ desiredState: "running", liveDeploymentId: live.id });
    // Another pass (or process) cannot take it meanwhile.
    expect(await takeLease(deps.db, serviceId)).toBeNull();

    const queued = await deps.db.deployment.create({ data: { serviceId, image: "x" } });
    const claimWhileLeased = await claimNextDeployment(deps.db, { fixed: 100 }, [], { workerName: "lease-test", seconds: 30 });
    expect(claimWhileLeased?.id).not.toBe(queued.id);
    if (claimWhileLeased)
      await deps.db.deployment.update({ where: { id: claimWhileLeased.id }, data: { status: "failed", finishedAt: new Date() } });

    await releaseLease(deps.db, serviceId);
    const claimed = await claimNextDeployment(deps.db, { fixed: 100 }, [], { workerName: "lease-test", seconds: 30 });
    expect(claimed).toMatchObject({ id: queued.id, serviceId, status: "releasing" });
    // Now a deployment is in progress: the reconciler keeps off.
    expect(await takeLease(deps.db, serviceId)).toBeNull();
    await deps.db.deployment.update({ where: { id: queued.id }, data: { status: "failed", finishedAt: new Date() } });
    expect(await takeLease(deps.db, serviceId)).not.toBeNull();
    await releaseLease(deps.db, serviceId);
  });

  it("a lease a crash left behind ends by itself", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    await deps.db.service.update({ where: { id: serviceId }, data: { reconcilingUntil: new Date(Date.now() - 1000) } });
    expect(await takeLease(deps.db, serviceId)).toMatchObject({ desiredState: "running", liveDeploymentId: null });
    await releaseLease(deps.db, serviceId);
  });
});
