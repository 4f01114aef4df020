import { afterAll, expect, it } from "vitest";
import { seedService, seedUser, testDeps } from "../../test/harness.ts";
import { pruneBuildLogs } from "./log-retention.ts";

const deps = testDeps();

afterAll(async () => {
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { buildLogRetentionDays: 30 } });
  await deps.db.$disconnect();
});

it("deletes the logs of deployments finished before the retention period, keeps newer ones and the rows", async () => {
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, buildLogRetentionDays: 7 },
    update: { buildLogRetentionDays: 7 },
  });
  const { teamId } = await seedUser(deps.db);
  const { serviceId } = await seedService(deps.db, teamId);
  const day = 24 * 3600_000;
  const old = await deps.db.deployment.create({
    data: { serviceId, image: "x", status: "failed", finishedAt: new Date(Date.now() - 8 * day) },
  });
  const recent = await deps.db.deployment.create({
    data: { serviceId, image: "x", status: "failed", finishedAt: new Date(Date.now() - 6 * day) },
  });
  const running = await deps.db.deployment.create({ data: { serviceId, image: "x", status: "building" } });
  for (const d of [old, recent, running]) {
    await deps.db.buildLogLine.createMany({
      data: [0, 1, 2].map((seq) => ({ deploymentId: d.id, seq, stream: "stdout" as const, text: `line ${seq}` })),
    });
  }
  expect(await pruneBuildLogs(deps)).toBeGreaterThanOrEqual(3);
  expect(await deps.db.buildLogLine.count({ where: { deploymentId: old.id } })).toBe(0);
  expect(await deps.db.buildLogLine.count({ where: { deploymentId: recent.id } })).toBe(3);
  expect(await deps.db.buildLogLine.count({ where: { deploymentId: running.id } })).toBe(3);
  expect(await deps.db.deployment.count({ where: { id: old.id } })).toBe(1);
  await deps.db.deployment.update({ where: { id: running.id }, data: { status: "failed", finishedAt: new Date() } });
});
