/** metric_sample rows: one per service (or the host: serviceId null) per window, the last hour only. */
import type { Db } from "@berth/db";
import type { MetricPoint } from "./aggregate.ts";

export const METRICS_RETENTION_MS = 60 * 60_000;
/** One stored row per service per window (the mean of the window's points). */
export const METRICS_WINDOW_MS = 10_000;

type Row = { serviceId: string | null; point: MetricPoint };

export async function storePoints(db: Db, points: Row[]): Promise<void> {
  if (points.length === 0) return;
  try {
    await insert(db, points);
  } catch (err) {
    // A service deleted between the sample and the write: keep the others' rows.
    const ids = points.flatMap((p) => (p.serviceId ? [p.serviceId] : []));
    const existing = new Set((await db.service.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((s) => s.id));
    const kept = points.filter((p) => p.serviceId === null || existing.has(p.serviceId));
    if (kept.length === points.length) throw err;
    await insert(db, kept);
  }
}

async function insert(db: Db, points: Row[]): Promise<void> {
  await db.metricSample.createMany({
    data: points.map(({ serviceId, point }) => ({
      serviceId,
      time: new Date(point.time),
      cpuPercent: point.cpuPercent,
      memoryBytes: BigInt(Math.round(point.memoryBytes)),
      memoryLimitBytes: BigInt(Math.round(point.memoryLimitBytes)),
      rxBytesPerSec: point.rxBytesPerSec,
      txBytesPerSec: point.txBytesPerSec,
      restartCount: point.restartCount,
    })),
  });
}

/** Delete rows older than the retention; returns how many. */
export async function pruneSamples(db: Db, retentionMs = METRICS_RETENTION_MS, now = Date.now()): Promise<number> {
  const { count } = await db.metricSample.deleteMany({ where: { time: { lt: new Date(now - retentionMs) } } });
  return count;
}

/** The stored points of a service (or the host) within the retention, oldest first. */
export async function readHistory(db: Db, serviceId: string | null, retentionMs = METRICS_RETENTION_MS): Promise<MetricPoint[]> {
  const rows = await db.metricSample.findMany({
    where: { serviceId, time: { gte: new Date(Date.now() - retentionMs) } },
    orderBy: { time: "asc" },
    take: 2000,
  });
  return rows.map((r) => ({
    time: r.time.toISOString(),
    cpuPercent: r.cpuPercent,
    memoryBytes: Number(r.memoryBytes),
    memoryLimitBytes: Number(r.memoryLimitBytes),
    rxBytesPerSec: r.rxBytesPerSec,
    txBytesPerSec: r.txBytesPerSec,
    restartCount: r.restartCount,
  }));
}
