"use client";

import { useQuery } from "@tanstack/react-query";
import { formatBytes } from "@/lib/metrics";
import { useTRPC } from "@/lib/trpc";
import { Panel } from "../ui/page-header";
import { QueryError } from "../ui/query-state";
import { MetricCharts } from "./metric-charts";
import { ReclaimDialog } from "./reclaim-dialog";
import { useLiveMetrics } from "./use-live-metrics";

/** The host (instance owner): live CPU/memory/network, disk use against its warning threshold, reclaim. */
export function HostPanel() {
  const trpc = useTRPC();
  const stored = useQuery(trpc.metrics.host.queryOptions());
  const disk = useQuery({ ...trpc.metrics.disk.queryOptions(), refetchInterval: 60_000 });
  const points = useLiveMetrics(null, stored.data?.history);
  const d = disk.data;
  return (
    <Panel title="Host" actions={<ReclaimDialog />}>
      <div className="space-y-4">
        {d ? (
          <div data-testid="host-disk" data-pressure={d.pressure}>
            <div className="flex flex-wrap justify-between gap-2 text-sm">
              <span className="font-medium text-slate-800">Disk ({d.dataRoot})</span>
              <span className={d.pressure ? "font-medium text-red-700" : "text-slate-600"}>
                {d.usedPercent}% used · {formatBytes(d.availableBytes)} free{d.pressure ? ` — above the ${d.warnPercent}% warning` : ""}
              </span>
            </div>
            <div aria-hidden className="mt-1 h-2 overflow-hidden rounded-full bg-slate-100">
              <div
                className={`h-full ${d.pressure ? "bg-red-600" : "bg-indigo-600"}`}
                style={{ width: `${Math.min(100, d.usedPercent)}%` }}
              />
            </div>
            <p className="mt-1 text-xs text-slate-500">
              Images {formatBytes(d.engine.imagesBytes)} · containers {formatBytes(d.engine.containersBytes)} · volumes{" "}
              {formatBytes(d.engine.volumesBytes)} · build cache {formatBytes(d.engine.buildCacheBytes)}
            </p>
          </div>
        ) : disk.isError ? (
          <QueryError error={disk.error} onRetry={() => void disk.refetch()} retrying={disk.isFetching} what="disk use" />
        ) : (
          <p className="text-sm text-slate-500">Reading disk use…</p>
        )}
        <MetricCharts points={points} testIdPrefix="host-metrics" cpuNote="(100% = one core)" />
      </div>
    </Panel>
  );
}
