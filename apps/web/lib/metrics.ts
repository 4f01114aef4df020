/** Formatting and chart geometry for metrics. PURE. */
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@berth/server/router";

/** One sample as the API sends it (stored history and live socket samples alike). */
export type MetricPointView = inferRouterOutputs<AppRouter>["metrics"]["service"]["history"][number];

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** "512 B", "1.5 MiB", "12 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 || value >= 100 ? Math.round(value) : value.toFixed(1)} ${UNITS[unit]}`;
}

export const formatRate = (bytesPerSec: number): string => `${formatBytes(bytesPerSec)}/s`;
export const formatPercent = (n: number): string => `${n < 10 ? n.toFixed(1) : Math.round(n)}%`;

/** Keep the points within `windowMs` of the newest, in time order, one per time (live points may repeat stored ones). */
export function mergePoints(existing: MetricPointView[], incoming: MetricPointView[], windowMs = 3600_000): MetricPointView[] {
  const byTime = new Map<string, MetricPointView>();
  for (const p of [...existing, ...incoming]) byTime.set(p.time, p);
  const sorted = [...byTime.values()].sort((a, b) => a.time.localeCompare(b.time));
  const newest = Date.parse(sorted.at(-1)?.time ?? "");
  return Number.isFinite(newest) ? sorted.filter((p) => Date.parse(p.time) >= newest - windowMs) : sorted;
}

export interface Series {
  label: string;
  values: Array<{ t: number; v: number }>;
}

/** SVG path of each series in a width x height box, sharing one scale from 0 to `max` (at least the largest value). */
export function chartPaths(series: Series[], width: number, height: number, max = 0): { paths: string[]; top: number } {
  const all = series.flatMap((s) => s.values);
  const top = Math.max(max, ...all.map((p) => p.v), 1e-9);
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(...all.map((p) => p.t));
  const span = t1 - t0 || 1;
  const x = (t: number) => (all.length < 2 ? width : ((t - t0) / span) * width);
  const y = (v: number) => height - (Math.max(0, v) / top) * height;
  const paths = series.map((s) => s.values.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(" "));
  return { paths, top };
}
