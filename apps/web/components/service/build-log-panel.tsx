"use client";

import type { Deployment } from "@/lib/api-types";
import { deploymentStatus } from "@/lib/status";
import { useBuildLog } from "@/lib/use-build-log";
import { StatusBadge } from "../ui/status-badge";
import { BuildLogView } from "./build-log-view";
import { StageProgress } from "./stage-progress";

/** The deployment log (clone, build, release) of the selected deployment, streamed live. */
export function BuildLogPanel({ deployment, builds }: { deployment: Deployment | null; builds: boolean }) {
  const { store, version, state } = useBuildLog(deployment?.id ?? null);
  return (
    <section
      aria-labelledby="build-log-heading"
      className="rounded-lg border border-slate-200 bg-white shadow-xs"
      data-testid="build-log-panel"
      data-deployment={deployment?.id ?? ""}
    >
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div className="flex items-center gap-3">
          <h2 id="build-log-heading" className="text-base font-semibold text-slate-900">
            Deployment log
          </h2>
          {deployment && <StatusBadge status={deploymentStatus(deployment.status)} />}
          {deployment && <span className="font-mono text-xs text-slate-500">{deployment.id.slice(0, 8)}</span>}
        </div>
        <p role="status" className="text-xs text-slate-500" data-testid="build-log-state" data-phase={state.phase}>
          {deployment
            ? `${state.phase === "live" ? "Live" : (state.message ?? "Connecting…")} · ${store.lines.length.toLocaleString()} lines`
            : "No deployment yet"}
        </p>
      </div>
      {deployment && <StageProgress deployment={deployment} builds={builds} />}
      {deployment ? (
        <BuildLogView lines={store.lines} version={version} label="Deployment log" />
      ) : (
        <p className="px-5 py-4 text-sm text-slate-500">Deploy to see the build and release output here.</p>
      )}
    </section>
  );
}
