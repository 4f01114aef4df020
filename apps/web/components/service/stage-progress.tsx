"use client";

import { useEffect, useState } from "react";
import type { Deployment } from "@/lib/api-types";
import { deployStages, type StageState } from "@/lib/deploy-stages";
import { formatDuration } from "@/lib/format";
import { isDeploymentActive } from "@/lib/status";

const BAR: Record<StageState, string> = {
  done: "bg-emerald-500",
  running: "bg-sky-500 animate-pulse",
  failed: "bg-red-500",
  pending: "bg-slate-200",
  skipped: "border border-dashed border-slate-300",
};

function describe(state: StageState, ms: number | null): string {
  const took = ms === null ? "" : ` ${formatDuration(ms)}`;
  switch (state) {
    case "done":
      return `done in${took || " —"}`;
    case "running":
      return `running${took}`;
    case "failed":
      return `stopped here${took ? ` after${took}` : ""}`;
    case "skipped":
      return "not needed";
    default:
      return "not started";
  }
}

/**
 * clone -> build -> release of one deployment, each with its duration; the running stage ticks
 * every second and carries aria-current="step". Text says each state (colour only repeats it).
 */
export function StageProgress({ deployment, builds }: { deployment: Deployment; builds: boolean }) {
  const active = isDeploymentActive(deployment.status);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  const stages = deployStages(deployment, { builds, now });
  return (
    <ol aria-label="Deployment stages" className="grid grid-cols-3 gap-2 border-b border-slate-200 px-5 py-3" data-testid="stage-progress">
      {stages.map((s) => (
        <li
          key={s.key}
          aria-current={s.state === "running" ? "step" : undefined}
          data-stage={s.key}
          data-state={s.state}
          className="min-w-0 space-y-1"
        >
          <span aria-hidden className={`block h-1.5 rounded-full ${BAR[s.state]}`} />
          <span className="block truncate text-xs text-slate-700">
            <span className="font-medium text-slate-900">{s.label}</span> <span>{describe(s.state, s.ms)}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}
