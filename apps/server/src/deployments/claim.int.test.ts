import { afterAll, describe, expect, it } from "vitest";
import { claimNextDeployment } from "./claim.ts";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";

/** The claim against the real Postgres queue (each file starts from an idle queue: int-file-setup.ts). */
const deps = testDeps();
const lease = { workerName: "claim-test", seconds: 30 };

afterAll(async () => {
  await deps.db.$disconnect();
});

describe("claiming a queued deployment", () => {
  it("says whether another one was queued beside it: the worker looks again at once only then", async () => {
    const { teamId } = await seedUser(deps.db);
    const first = await seedService(deps.db, teamId);
    const second = await seedService(deps.db, teamId);
    const older = await deps.db.deployment.create({ data: { serviceId: first.serviceId, image: "x" } });
    const newer = await deps.db.deployment.create({ data: { serviceId: second.serviceId, image: "x" } });
    try {
      // With the service's project and team: the run reads the service and its variables beside the row.
      expect(await claimNextDeployment(deps.db, { fixed: 10 }, [], lease)).toMatchObject({
        id: older.id,
        serviceId: first.serviceId,
        projectId: first.projectId,
        teamId,
        status: "releasing",
        more: true,
      });
      expect(await claimNextDeployment(deps.db, { fixed: 10 }, [], lease)).toMatchObject({ id: newer.id, more: false });
      expect(await claimNextDeployment(deps.db, { fixed: 10 }, [], lease)).toBeNull();
    } finally {
      await deps.db.deployment.updateMany({
        where: { id: { in: [older.id, newer.id] } },
        data: { status: "failed", finishedAt: new Date() },
      });
    }
  });
});
