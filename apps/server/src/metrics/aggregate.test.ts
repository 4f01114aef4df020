import { describe, expect, it } from "vitest";
import type { StatsSample } from "@berth/engine";
import { aggregateByService, meanPoint, networkRates, type MetricPoint } from "./aggregate.ts";

const sample = (time: string, over: Partial<StatsSample> = {}): StatsSample => ({
  time,
  cpuPercent: 10,
  memoryBytes: 100,
  memoryLimitBytes: 1000,
  networkRxBytes: 0,
  networkTxBytes: 0,
  ...over,
});

describe("metrics aggregation", () => {
  it("network rates per second between two samples; none for the first or after a counter reset", () => {
    const a = sample("2026-11-28T10:00:00Z", { networkRxBytes: 1000, networkTxBytes: 500 });
    const b = sample("2026-11-28T10:00:02Z", { networkRxBytes: 3000, networkTxBytes: 400 });
    expect(networkRates(a, b)).toEqual({ rxBytesPerSec: 1000, txBytesPerSec: 0 });
    expect(networkRates(null, b)).toEqual({ rxBytesPerSec: 0, txBytesPerSec: 0 });
    expect(networkRates(b, b)).toEqual({ rxBytesPerSec: 0, txBytesPerSec: 0 });
  });

  it("sums replicas of a service and keeps services apart", () => {
    const t = "2026-11-28T10:00:00Z";
    const points = aggregateByService(
      [
        { serviceId: "s1", sample: sample(t, { cpuPercent: 12.5 }), rxBytesPerSec: 10, txBytesPerSec: 1 },
        { serviceId: "s1", sample: sample(t, { cpuPercent: null }), rxBytesPerSec: 5, txBytesPerSec: 2 },
        { serviceId: "s2", sample: sample(t), rxBytesPerSec: 0, txBytesPerSec: 0 },
      ],
      new Map([["s1", 3]]),
      t,
    );
    expect(points.get("s1")).toEqual({
      time: t,
      cpuPercent: 12.5,
      memoryBytes: 200,
      memoryLimitBytes: 2000,
      rxBytesPerSec: 15,
      txBytesPerSec: 3,
      restartCount: 3,
    });
    expect(points.get("s2")?.restartCount).toBe(0);
  });

  it("a stored row is the window's mean with the last time, limit and restart count", () => {
    const p = (time: string, cpu: number, restarts: number): MetricPoint => ({
      time,
      cpuPercent: cpu,
      memoryBytes: cpu * 10,
      memoryLimitBytes: 1000,
      rxBytesPerSec: cpu,
      txBytesPerSec: 0,
      restartCount: restarts,
    });
    expect(meanPoint([p("a", 10, 0), p("b", 20, 1)])).toEqual({
      time: "b",
      cpuPercent: 15,
      memoryBytes: 150,
      memoryLimitBytes: 1000,
      rxBytesPerSec: 15,
      txBytesPerSec: 0,
      restartCount: 1,
    });
    expect(meanPoint([])).toBeNull();
  });
});
