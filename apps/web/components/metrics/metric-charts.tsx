import { formatBytes, formatPercent, formatRate, type MetricPointView } from "@/lib/metrics";
import { LineChart } from "./line-chart";

/**
 * CPU, memory against its limit, network in/out and restarts of a series of points. Charts
 * scale to their data (the memory limit is in the summary: unlimited containers report the
 * host's memory, which would flatten the line).
 */
export function MetricCharts({
  points,
  testIdPrefix,
  cpuNote = "of one CPU",
}: {
  points: MetricPointView[];
  testIdPrefix: string;
  cpuNote?: string;
}) {
  const t = (p: MetricPointView) => Date.parse(p.time);
  const last = points.at(-1);
  const limit = last?.memoryLimitBytes ?? 0;
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <LineChart
        testId={`${testIdPrefix}-cpu`}
        title="CPU"
        series={[{ label: "CPU", values: points.map((p) => ({ t: t(p), v: p.cpuPercent })) }]}
        summary={last ? `${formatPercent(last.cpuPercent)} ${cpuNote}` : "—"}
        max={1}
        formatTop={formatPercent}
      />
      <LineChart
        testId={`${testIdPrefix}-memory`}
        title="Memory"
        series={[{ label: "Memory", values: points.map((p) => ({ t: t(p), v: p.memoryBytes })) }]}
        summary={last ? `${formatBytes(last.memoryBytes)} of ${limit > 0 ? formatBytes(limit) : "no limit"}` : "—"}
        formatTop={formatBytes}
      />
      <LineChart
        testId={`${testIdPrefix}-network`}
        title="Network"
        series={[
          { label: "in", values: points.map((p) => ({ t: t(p), v: p.rxBytesPerSec })) },
          { label: "out", values: points.map((p) => ({ t: t(p), v: p.txBytesPerSec })) },
        ]}
        summary={last ? `in ${formatRate(last.rxBytesPerSec)} · out ${formatRate(last.txBytesPerSec)}` : "—"}
        formatTop={formatRate}
      />
      <LineChart
        testId={`${testIdPrefix}-restarts`}
        title="Restarts"
        series={[{ label: "Restarts", values: points.map((p) => ({ t: t(p), v: p.restartCount })) }]}
        summary={last ? String(last.restartCount) : "—"}
        formatTop={(v) => String(Math.round(v))}
      />
    </div>
  );
}
