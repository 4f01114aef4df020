/**
 * Stats samples -> one metrics point per service per tick, and points -> the mean stored per
 * window. PURE: the sampler feeds it what the engine streamed.
 */
import type { StatsSample } from "@berth/engine";

export interface MetricPoint {
  /** ISO time. */
  time: string;
  /** Percentage of one CPU (200 = two full CPUs). */
  cpuPercent: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  rxBytesPerSec: number;
  txBytesPerSec: number;
  restartCount: number;
}

/** One container's latest sample and its network rates (from the sample before it). */
export interface ContainerReading {
  serviceId: string;
  sample: StatsSample;
  rxBytesPerSec: number;
  txBytesPerSec: number;
}

/** Network rates between two samples of the same container (0 for the first, or after a counter reset). */
export function networkRates(prev: StatsSample | null, cur: StatsSample): { rxBytesPerSec: number; txBytesPerSec: number } {
  if (prev === null) return { rxBytesPerSec: 0, txBytesPerSec: 0 };
  const seconds = (Date.parse(cur.time) - Date.parse(prev.time)) / 1000;
  if (!(seconds > 0)) return { rxBytesPerSec: 0, txBytesPerSec: 0 };
  const rate = (a: number, b: number) => (b >= a ? round((b - a) / seconds) : 0);
  return { rxBytesPerSec: rate(prev.networkRxBytes, cur.networkRxBytes), txBytesPerSec: rate(prev.networkTxBytes, cur.networkTxBytes) };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Sum the readings of each service's containers (replicas add up). */
export function aggregateByService(readings: ContainerReading[], restarts: Map<string, number>, time: string): Map<string, MetricPoint> {
  const points = new Map<string, MetricPoint>();
  for (const r of readings) {
    const p = points.get(r.serviceId) ?? {
      time,
      cpuPercent: 0,
      memoryBytes: 0,
      memoryLimitBytes: 0,
      rxBytesPerSec: 0,
      txBytesPerSec: 0,
      restartCount: restarts.get(r.serviceId) ?? 0,
    };
    p.cpuPercent = round(p.cpuPercent + (r.sample.cpuPercent ?? 0));
    p.memoryBytes += r.sample.memoryBytes;
    p.memoryLimitBytes += r.sample.memoryLimitBytes;
    p.rxBytesPerSec = round(p.rxBytesPerSec + r.rxBytesPerSec);
    p.txBytesPerSec = round(p.txBytesPerSec + r.txBytesPerSec);
    points.set(r.serviceId, p);
  }
  return points;
}

/** The mean of a window's points (the last restart count): what one stored row holds. */
export function meanPoint(points: MetricPoint[]): MetricPoint | null {
  const last = points[points.length - 1];
  if (!last) return null;
  const mean = (f: (p: MetricPoint) => number) => points.reduce((n, p) => n + f(p), 0) / points.length;
  return {
    time: last.time,
    cpuPercent: round(mean((p) => p.cpuPercent)),
    memoryBytes: Math.round(mean((p) => p.memoryBytes)),
    memoryLimitBytes: last.memoryLimitBytes,
    rxBytesPerSec: round(mean((p) => p.rxBytesPerSec)),
    txBytesPerSec: round(mean((p) => p.txBytesPerSec)),
    restartCount: last.restartCount,
  };
}
