import { afterAll, expect, it } from "vitest";
import { testDeps, waitFor } from "../../test/harness.ts";
import { runReleaseDirectly } from "../../test/running-service.ts";
import { LeaderLease } from "../instance/leader-lease.ts";
import type { MetricPoint } from "./aggregate.ts";
import { MetricsBus } from "./bus.ts";
import { MetricsRelay } from "./relay.ts";
import { MetricsSampler } from "./sampler.ts";
import { readHistory } from "./store.ts";

/**
 * Two Berth processes on one database (each its own bus, lease, relay and sampler, as app.ts
 * wires them): one samples and stores, the other's viewers still get live points, and when the
 * sampling process stops the other takes over. Without the election both would store a row per
 * window and follow every container's stats twice.
 */
const deps = testDeps();
let serviceId = "";
let projectId = "";

afterAll(async () => {
  if (serviceId) await deps.engine.removeService(serviceId).catch(() => undefined);
  if (projectId) await deps.engine.pruneNetworks({ projectId }).catch(() => undefined);
  await deps.db.$disconnect();
});

function berthProcess(name: string) {
  const bus = new MetricsBus();
  const lease = new LeaderLease(deps, "metrics-sampler", name, 900);
  const relay = new MetricsRelay({ ...deps, databaseUrl: process.env.DATABASE_URL ?? "" }, bus, 1_000);
  const sampler = new MetricsSampler(deps, bus, { tickMs: 250, persistEveryMs: 1_000, election: { lease, relay } });
  const live: MetricPoint[] = [];
  bus.onService((e) => e.serviceId === serviceId && live.push(e.point));
  return {
    lease,
    live,
    pending: () => bus.pending(serviceId),
    start() {
      relay.start();
      lease.start();
      sampler.start();
    },
    async stop() {
      await sampler.stop();
      await lease.stop();
      await relay.close();
    },
  };
}

it("one process samples and stores, the other relays its points live; the other takes over when it stops", async () => {
  ({ serviceId, projectId } = await runReleaseDirectly(deps));
  await deps.db.leaderLease.deleteMany({ where: { name: "metrics-sampler" } });
  const a = berthProcess("a");
  const b = berthProcess("b");
  const started = Date.now();
  a.start();
  b.start();
  try {
    await waitFor("one of the two to lead", async () => a.lease.held !== b.lease.held, 20_000);
    const [leader, other] = a.lease.held ? [a, b] : [b, a];
    // The other process's viewers see live points although it follows no stats stream.
    await waitFor("live points in both processes", async () => leader.live.length >= 4 && other.live.length >= 4, 30_000);
    expect(other.pending().length).toBeGreaterThan(0);
    await waitFor("three stored windows", async () => (await readHistory(deps.db, serviceId)).length >= 3, 30_000);
    // One row per window (1 s here): two samplers would store about two per second.
    const history = await readHistory(deps.db, serviceId);
    expect(history.length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 1000) + 1);
    expect(a.lease.held && b.lease.held).toBe(false);

    // The leader stops (it releases the lease): the other takes over and stores on its own.
    await leader.stop();
    await waitFor("the other process to lead", async () => other.lease.held, 20_000);
    const before = (await readHistory(deps.db, serviceId)).length;
    await waitFor("a window stored by the new leader", async () => (await readHistory(deps.db, serviceId)).length > before, 30_000);
  } finally {
    await a.stop();
    await b.stop();
  }
});
