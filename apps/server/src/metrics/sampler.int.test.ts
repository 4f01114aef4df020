import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { seedService, seedUser, TEST_IMAGE, testDeps, waitFor } from "../../test/harness.ts";
import { runReleaseDirectly } from "../../test/running-service.ts";
import type { MetricPoint } from "./aggregate.ts";
import { MetricsBus } from "./bus.ts";
import { MetricsSampler } from "./sampler.ts";
import { metricsHistory } from "./service-metrics.ts";
import { pruneSamples, readHistory, storePoints } from "./store.ts";

const deps = testDeps();
const touched: string[] = [];

afterAll(async () => {
  for (const serviceId of touched) await deps.engine.removeService(serviceId);
  await deps.db.$disconnect();
});

async function runningService() {
  const { teamId, serviceId } = await runReleaseDirectly(deps);
  touched.push(serviceId);
  return { teamId, serviceId };
}

const point = (time: Date): MetricPoint => ({
  time: time.toISOString(),
  cpuPercent: 1,
  memoryBytes: 1,
  memoryLimitBytes: 2,
  rxBytesPerSec: 0,
  txBytesPerSec: 0,
  restartCount: 0,
});

describe("metrics sampler (real engine, real Postgres)", () => {
  it("streams live points of a running container and stores one row per service per window", async () => {
    const { teamId, serviceId } = await runningService();
    const bus = new MetricsBus();
    const live: MetricPoint[] = [];
    const host: MetricPoint[] = [];
    bus.onService((e) => {
      if (e.serviceId !== serviceId) return;
      expect(e.teamId).toBe(teamId);
      live.push(e.point);
    });
    bus.onHost((p) => host.push(p));
    const sampler = new MetricsSampler(deps, bus, { tickMs: 250, persistEveryMs: 1_000 });
    const started = Date.now();
    sampler.start();
    try {
      await waitFor("live points with memory in use", async () => live.filter((p) => p.memoryBytes > 0).length >= 3, 20_000);
      await waitFor("two stored windows", async () => (await readHistory(deps.db, serviceId)).length >= 2, 20_000);
    } finally {
      await sampler.stop();
    }
    const elapsedS = (Date.now() - started) / 1000;
    const history = await readHistory(deps.db, serviceId);
    // Compact: at most one row per window (1 s here), however many ticks (4 per window) there were.
    expect(history.length).toBeLessThanOrEqual(Math.ceil(elapsedS) + 1);
    expect(live.length).toBeGreaterThan(history.length);
    for (const row of history) {
      expect(row.memoryBytes).toBeGreaterThan(0);
      expect(row.memoryLimitBytes).toBeGreaterThanOrEqual(row.memoryBytes);
      expect(row.cpuPercent).toBeGreaterThanOrEqual(0);
    }
    expect(history.map((r) => r.time)).toEqual([...history.map((r) => r.time)].sort());
    expect(host.length).toBeGreaterThan(0);
    expect(host.at(-1)?.memoryLimitBytes).toBeGreaterThan(0);
    expect((await readHistory(deps.db, null)).length).toBeGreaterThan(0);
  });

  it("follows only this instance's services: Berth's containers of a service another database knows are left alone", async () => {
    const { serviceId } = await runningService();
    // Another Berth's release on the same engine (a test run beside a running Berth): labelled alike, unknown here.
    const stranger = { teamId: randomUUID(), projectId: randomUUID(), serviceId: randomUUID() };
    touched.push(stranger.serviceId);
    await deps.engine.runRelease({
      owner: stranger,
      deploymentId: randomUUID(),
      serviceName: "stranger",
      image: TEST_IMAGE,
      containerPort: 8080,
      env: {},
    });
    const bus = new MetricsBus();
    const seen = new Set<string>();
    bus.onService((e) => seen.add(e.serviceId));
    const sampler = new MetricsSampler(deps, bus, { tickMs: 250, persistEveryMs: 60_000 });
    sampler.start();
    try {
      await waitFor("points of this instance's service", async () => seen.has(serviceId), 20_000);
      await new Promise((r) => setTimeout(r, 1_000)); // a few more rounds
    } finally {
      await sampler.stop();
    }
    expect(seen.has(stranger.serviceId)).toBe(false);
  });

  it("a history read before the first window is stored still gets that window's points (a reload starts from them)", async () => {
    const { serviceId } = await runningService();
    const bus = new MetricsBus();
    const sampler = new MetricsSampler(deps, bus, { tickMs: 250, persistEveryMs: 60_000 });
    sampler.start();
    try {
      const history = await waitFor(
        "two pending points",
        async () => {
          const h = await metricsHistory({ db: deps.db, metrics: bus }, serviceId);
          return h.length >= 2 ? h : null;
        },
        20_000,
      );
      expect(await readHistory(deps.db, serviceId)).toEqual([]);
      expect(history.map((p) => p.time)).toEqual([...history.map((p) => p.time)].sort());
      // Without the sampler's bus (another process), only stored rows are answered.
      expect(await metricsHistory({ db: deps.db }, serviceId)).toEqual([]);
    } finally {
      await sampler.stop();
    }
  });

  it("keeps only the last hour: older rows are pruned, newer ones stay", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    const now = Date.now();
    await storePoints(deps.db, [
      { serviceId, point: point(new Date(now - 2 * 3600_000)) },
      { serviceId, point: point(new Date(now - 61 * 60_000)) },
      { serviceId, point: point(new Date(now - 59 * 60_000)) },
      { serviceId, point: point(new Date(now - 1_000)) },
    ]);
    expect(await deps.db.metricSample.count({ where: { serviceId } })).toBe(4);
    // The hour's history never shows what the prune has not reached yet.
    expect(await readHistory(deps.db, serviceId)).toHaveLength(2);
    expect(await pruneSamples(deps.db)).toBeGreaterThanOrEqual(2);
    expect(await deps.db.metricSample.count({ where: { serviceId } })).toBe(2);
  });

  it("the sampler prunes as it stores; a deleted service's samples go with it", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    await storePoints(deps.db, [
      { serviceId, point: point(new Date(Date.now() - 10 * 60_000)) },
      { serviceId, point: point(new Date()) },
    ]);
    const sampler = new MetricsSampler(deps, new MetricsBus(), { tickMs: 200, persistEveryMs: 200, retentionMs: 5 * 60_000 });
    sampler.start();
    try {
      await waitFor("the sampler's prune", async () => (await deps.db.metricSample.count({ where: { serviceId } })) === 1, 10_000);
    } finally {
      await sampler.stop();
    }
    await deps.db.service.delete({ where: { id: serviceId } });
    expect(await deps.db.metricSample.count({ where: { serviceId } })).toBe(0);
  });

  it("a sample for a service deleted meanwhile does not lose the others' rows", async () => {
    const { teamId } = await seedUser(deps.db);
    const { serviceId } = await seedService(deps.db, teamId);
    const gone = (await seedService(deps.db, teamId)).serviceId;
    await deps.db.service.delete({ where: { id: gone } });
    await storePoints(deps.db, [
      { serviceId, point: point(new Date()) },
      { serviceId: gone, point: point(new Date()) },
    ]);
    expect(await deps.db.metricSample.count({ where: { serviceId } })).toBe(1);
  });
});
