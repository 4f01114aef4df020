import type { Deployment } from "@/lib/api-types";
import { durationBetween, formatDateTime } from "@/lib/format";
import { deploymentStatus, isDeploymentActive } from "@/lib/status";
import { EmptyState } from "../ui/empty-state";
import { StatusBadge } from "../ui/status-badge";

const TRIGGERS: Record<string, string> = { user: "Manual", manual: "Manual", webhook: "Webhook", rollback: "Rollback", restart: "Restart", api: "API token" };

/** Deployment history, newest first, with the error of failed attempts under their row. */
export function DeploymentTable({ deployments }: { deployments: Deployment[] }) {
  if (deployments.length === 0) return <EmptyState title="Not deployed yet">Press Deploy to start the first deployment.</EmptyState>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Deployments, newest first</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Status</th>
            <th scope="col" className="py-2 pr-4 font-medium">Trigger</th>
            <th scope="col" className="py-2 pr-4 font-medium">Created</th>
            <th scope="col" className="py-2 pr-4 font-medium">Duration</th>
            <th scope="col" className="py-2 font-medium">Image</th>
          </tr>
        </thead>
        {deployments.map((d) => (
          <tbody key={d.id} className="border-t border-slate-200" data-testid="deployment-row" data-status={d.status}>
            <tr>
              <td className="py-2.5 pr-4">
                <StatusBadge status={deploymentStatus(d.status)} />
              </td>
              <td className="py-2.5 pr-4 text-slate-700">{TRIGGERS[d.trigger] ?? d.trigger}</td>
              <td className="py-2.5 pr-4 whitespace-nowrap text-slate-700">{formatDateTime(d.createdAt)}</td>
              <td className="py-2.5 pr-4 whitespace-nowrap text-slate-700">
                {durationBetween(d.startedAt, d.finishedAt)}
                {isDeploymentActive(d.status) && d.startedAt && <span className="text-slate-400"> so far</span>}
              </td>
              <td className="max-w-56 truncate py-2.5 font-mono text-xs text-slate-600" title={d.image}>
                {d.image}
              </td>
            </tr>
            {d.status === "failed" && d.error && (
              <tr>
                <td colSpan={5} className="pb-3">
                  <p className="rounded-md bg-red-50 px-3 py-2 text-sm whitespace-pre-wrap text-red-800">{d.error}</p>
                </td>
              </tr>
            )}
          </tbody>
        ))}
      </table>
    </div>
  );
}
