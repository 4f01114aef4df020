"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { HostPanel } from "../metrics/host-panel";
import { useSession } from "../shell/session";
import { Loading, QueryError, StaleNotice } from "../ui/query-state";
import { StatusBadge } from "../ui/status-badge";
import { AttentionList } from "./attention-list";
import { liveStatusView, STATUS_ORDER } from "@/lib/status";
import { ServiceTable } from "./service-table";
import { useOverviewEvents } from "./use-overview-events";

const FALLBACK_POLL_MS = 15_000;

/** The team overview on the dashboard home: what needs attention, then every service's live status. */
export function OverviewView() {
  const trpc = useTRPC();
  const { me, team } = useSession();
  useOverviewEvents(team.id);
  const overview = useQuery({ ...trpc.overview.team.queryOptions({ teamId: team.id }), refetchInterval: FALLBACK_POLL_MS });
  const o = overview.data;
  return (
    <section aria-labelledby="overview-heading" className="space-y-4" data-testid="overview">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="overview-heading" className="text-xl font-semibold text-slate-900">
          Overview
        </h2>
        {o && (
          <ul className="flex flex-wrap gap-2" aria-label="Services by status">
            {STATUS_ORDER.filter((s) => (o.counts[s as keyof typeof o.counts] ?? 0) > 0).map((s) => (
              <li key={s} className="flex items-center gap-1 text-sm text-slate-700">
                <StatusBadge status={liveStatusView(s)} /> {o.counts[s as keyof typeof o.counts]}
              </li>
            ))}
          </ul>
        )}
      </div>
      {!o ? (
        overview.isError ? (
          <QueryError error={overview.error} onRetry={() => void overview.refetch()} retrying={overview.isFetching} what="the overview" />
        ) : (
          <Loading label="Loading the overview…" />
        )
      ) : (
        <>
          {overview.isError && <StaleNotice error={overview.error} onRetry={() => void overview.refetch()} />}
          {o.engineError && (
            <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900">
              Container states are unknown: {o.engineError}
            </p>
          )}
          <AttentionList items={o.attention} />
          {o.services.length === 0 ? (
            <p className="text-sm text-slate-600">Nothing to show yet: create a project below, then add a service to it.</p>
          ) : (
            <div className="space-y-3">
              {o.projects
                .filter((p) => p.serviceCount > 0)
                .map((p) => (
                  <ServiceTable
                    key={p.id}
                    projectId={p.id}
                    projectName={p.name}
                    services={o.services.filter((s) => s.projectId === p.id)}
                  />
                ))}
            </div>
          )}
        </>
      )}
      {/* After the overview: its queries must not share (and slow) the overview's request batch. */}
      {o && me.user.instanceRole === "owner" && <HostPanel />}
    </section>
  );
}
