"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { Loading, QueryError } from "../ui/query-state";
import { runSummary } from "./run-output";

/** A service's latest runs (or one cron job's), newest first; choosing one shows its output. */
export function RunHistory({
  serviceId,
  cronJobId,
  selected,
  onSelect,
}: {
  serviceId: string;
  cronJobId?: string;
  selected: string | null;
  onSelect: (runId: string) => void;
}) {
  const trpc = useTRPC();
  const runs = useQuery({
    ...trpc.oneOffs.list.queryOptions({ serviceId, ...(cronJobId ? { cronJobId } : {}), limit: 20 }),
    refetchInterval: 3_000,
  });
  if (runs.isPending) return <Loading label="Loading runs…" />;
  if (runs.isError) return <QueryError error={runs.error} onRetry={() => void runs.refetch()} what="runs" />;
  if (runs.data.length === 0) return <p className="text-sm text-fg-muted">No runs yet.</p>;
  return (
    <ul className="divide-y divide-line rounded-md border border-line text-sm" data-testid={cronJobId ? "cron-history" : "run-history"}>
      {runs.data.map((r) => (
        <li key={r.id}>
          <button
            type="button"
            onClick={() => onSelect(r.id)}
            aria-pressed={selected === r.id}
            className={`flex w-full flex-wrap items-center justify-between gap-2 px-3 py-2 text-left hover:bg-surface-muted ${selected === r.id ? "bg-surface-muted" : ""}`}
          >
            <span className="font-mono text-xs">
              {r.trigger === "user"
                ? r.command.join(" ")
                : r.trigger === "release"
                  ? `release: ${r.command.join(" ")}`
                  : r.trigger === "job"
                    ? `job: ${r.command.join(" ") || "the image's command"}`
                    : `cron: ${r.command.at(-1) ?? ""}`}
            </span>
            <span className="text-fg-muted" data-testid="run-row-summary">
              {runSummary(r)} · {formatDateTime(r.startedAt)}
              {r.ranBy ? ` · ${r.ranBy}` : ""}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
