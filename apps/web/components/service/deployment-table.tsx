import type { Deployment } from "@/lib/api-types";
import { formatDuration } from "@/lib/format";
import { DateTime, Elapsed } from "../ui/date-time";
import { deploymentStatus, isDeploymentActive } from "@/lib/status";
import { EmptyState } from "../ui/empty-state";
import { StatusBadge } from "../ui/status-badge";

const TRIGGERS: Record<string, string> = {
  user: "Manual",
  webhook: "Webhook",
  api: "API",
  rollback: "Rollback",
  redeploy: "Redeploy",
  deploy_hook: "Deploy hook",
};

export interface DeploymentActions {
  selectedId: string | null;
  onSelect(id: string): void;
  onCancel?(id: string): void;
  onRollback?(releaseId: string, number: number): void;
  busy: boolean;
}

function stages(d: Deployment): string {
  const parts = [
    ["clone", d.cloneMs],
    ["build", d.buildMs],
    ["release", d.releaseMs],
  ] as const;
  return parts
    .filter(([, ms]) => ms !== null)
    .map(([name, ms]) => `${name} ${formatDuration(ms ?? 0)}`)
    .join(" · ");
}

function StatusCell({ d }: { d: Deployment }) {
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <StatusBadge status={deploymentStatus(d.status)} />
      {d.live && (
        <span className="rounded bg-emerald-700 px-1.5 py-0.5 text-[10px] font-semibold text-white uppercase" data-testid="live-release">
          Live
        </span>
      )}
      {d.queuePosition !== null && (
        <span className="text-xs text-slate-500" data-testid="queue-position">
          #{d.queuePosition} in queue, waiting for {d.waitingFor}
        </span>
      )}
    </div>
  );
}

/** Deployment history, newest first: status, trigger, commit, release, duration, and actions. */
export function DeploymentTable({ deployments, actions }: { deployments: Deployment[]; actions: DeploymentActions }) {
  if (deployments.length === 0) return <EmptyState title="Not deployed yet">Press Deploy to start the first deployment.</EmptyState>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Deployments, newest first</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            {["Status", "Trigger", "Commit", "Release", "Created", "Duration", ""].map((h, i) => (
              <th key={i} scope="col" className="py-2 pr-4 font-medium">
                {h || <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        {deployments.map((d) => (
          <tbody
            key={d.id}
            className={`border-t border-slate-200 ${actions.selectedId === d.id ? "bg-indigo-50/50" : ""}`}
            data-testid="deployment-row"
            data-status={d.status}
            data-deployment={d.id}
          >
            <tr>
              <td className="py-2.5 pr-4">
                <StatusCell d={d} />
              </td>
              <td className="py-2.5 pr-4 text-slate-700">{TRIGGERS[d.trigger] ?? d.trigger}</td>
              <td className="max-w-64 truncate py-2.5 pr-4 text-slate-700" title={d.commitMessage ?? d.image}>
                {d.commitSha ? (
                  <>
                    <span className="font-mono text-xs">{d.commitSha.slice(0, 7)}</span> {d.commitMessage}
                  </>
                ) : (
                  <span className="font-mono text-xs text-slate-500">{d.image || "—"}</span>
                )}
              </td>
              <td className="py-2.5 pr-4 text-slate-700" data-testid="release-number">
                {d.release ? `#${d.release.number}` : "—"}
              </td>
              <td className="py-2.5 pr-4 whitespace-nowrap text-slate-700">
                <DateTime value={d.createdAt} />
              </td>
              <td className="py-2.5 pr-4 whitespace-nowrap text-slate-700" title={stages(d)}>
                <Elapsed start={d.startedAt} end={d.finishedAt} />
                {isDeploymentActive(d.status) && d.startedAt && <span className="text-fg-subtle"> so far</span>}
              </td>
              <td className="py-2.5 whitespace-nowrap">
                <div className="flex justify-end gap-2 text-xs">
                  <button
                    type="button"
                    className="text-indigo-700 hover:underline"
                    onClick={() => actions.onSelect(d.id)}
                    aria-label={`Log of ${d.id.slice(0, 8)}`}
                  >
                    Log
                  </button>
                  {actions.onCancel && isDeploymentActive(d.status) && (
                    <button
                      type="button"
                      disabled={actions.busy}
                      className="text-red-700 hover:underline disabled:opacity-50"
                      onClick={() => actions.onCancel?.(d.id)}
                    >
                      Cancel
                    </button>
                  )}
                  {actions.onRollback && d.release?.retained && !d.live && (
                    <button
                      type="button"
                      disabled={actions.busy}
                      className="text-indigo-700 hover:underline disabled:opacity-50"
                      onClick={() => d.release && actions.onRollback?.(d.release.id, d.release.number)}
                    >
                      Roll back to #{d.release.number}
                    </button>
                  )}
                </div>
              </td>
            </tr>
            {["failed", "timed_out", "cancelled"].includes(d.status) && d.error && (
              <tr>
                <td colSpan={7} className="pb-3">
                  <p className="rounded-md bg-red-50 px-3 py-2 text-sm whitespace-pre-wrap text-red-800" data-testid="deployment-error">
                    {d.error}
                  </p>
                </td>
              </tr>
            )}
          </tbody>
        ))}
      </table>
    </div>
  );
}
