"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { Panel } from "../ui/page-header";
import { QueryError } from "../ui/query-state";
import { MetricCharts } from "./metric-charts";
import { useLiveMetrics } from "./use-live-metrics";

/** A service's live metrics: the last hour from Postgres, then samples over socket.io every ~2 s. */
export function ServiceMetricsPanel({ serviceId, running = true }: { serviceId: string; running?: boolean }) {
  const trpc = useTRPC();
  const stored = useQuery(trpc.metrics.service.queryOptions({ serviceId }));
  const points = useLiveMetrics(serviceId, stored.data?.history);
  return (
    <Panel
      title="Metrics"
      actions={
        <span className="text-xs text-slate-500" data-testid="service-metrics-mode">
          {running ? "last hour · live" : "last hour · not running"}
        </span>
      }
    >
      {stored.isError && (
        <QueryError error={stored.error} onRetry={() => void stored.refetch()} retrying={stored.isFetching} what="stored metrics" />
      )}
      <MetricCharts points={points} testIdPrefix="service-metrics" />
      {!running && points.length > 0 && (
        <p className="mt-3 text-sm text-slate-500">Not running: no live samples; the charts show its last hour.</p>
      )}
      {points.length === 0 && (
        <p className="mt-3 text-sm text-slate-500">No samples yet: metrics appear while the service has a running container.</p>
      )}
    </Panel>
  );
}
