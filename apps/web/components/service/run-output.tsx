"use client";

import { formatDuration } from "@/lib/format";
import { useOneOffOutput } from "@/lib/use-one-off-output";

export const RUN_STATUS_LABEL: Record<string, string> = {
  running: "Running",
  succeeded: "Succeeded",
  failed: "Failed",
  cancelled: "Cancelled",
  timed_out: "Timed out",
};

export function runSummary(run: { status: string; exitCode?: number | null; durationMs?: number | null; error?: string | null }): string {
  const parts = [RUN_STATUS_LABEL[run.status] ?? run.status];
  if (run.exitCode !== null && run.exitCode !== undefined) parts.push(`exit code ${run.exitCode}`);
  if (run.durationMs !== null && run.durationMs !== undefined) parts.push(formatDuration(run.durationMs));
  return parts.join(" · ");
}

/** A run's output, followed live while it runs, and how it ended. */
export function RunOutput({ serviceId, runId }: { serviceId: string; runId: string }) {
  const { text, end, error } = useOneOffOutput(serviceId, runId);
  return (
    <div className="space-y-2">
      <p className="text-sm text-fg-muted" data-testid="run-status" role="status">
        {error ?? (end ? `${runSummary(end)}${end.error && end.status !== "failed" ? ` — ${end.error}` : ""}` : "Running…")}
      </p>
      <pre
        data-testid="run-output"
        role="log"
        tabIndex={0}
        aria-label="Run output"
        className="max-h-96 overflow-auto rounded-md bg-slate-950 p-3 font-mono text-xs whitespace-pre-wrap text-slate-100"
      >
        {text === "" ? (end ? "(no output)" : "") : text}
      </pre>
    </div>
  );
}
