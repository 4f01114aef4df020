import { DateTime } from "../ui/date-time";
import { IntentLink } from "../ui/intent-link";
import { deploymentStatus } from "@/lib/status";
import { StatusBadge } from "../ui/status-badge";
import { liveStatusView } from "@/lib/status";
import type { OverviewService } from "./overview-types";

/** One project's services: live status, last deployment, restarts. */
export function ServiceTable({
  projectId,
  projectName,
  services,
}: {
  projectId: string;
  projectName: string;
  services: OverviewService[];
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" data-testid={`overview-project-${projectId}`}>
      <table className="w-full text-left text-sm">
        <caption className="border-b border-slate-200 px-4 py-2 text-left font-medium text-slate-900">
          <IntentLink href={`/projects/${projectId}`} className="hover:underline">
            {projectName}
          </IntentLink>
        </caption>
        <thead className="text-xs text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Service
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Last deployment
            </th>
            <th scope="col" className="px-4 py-2 text-right font-medium">
              Restarts
            </th>
          </tr>
        </thead>
        <tbody>
          {services.length === 0 && (
            <tr>
              <td colSpan={4} className="px-4 py-3 text-slate-500">
                No services yet.
              </td>
            </tr>
          )}
          {services.map((s) => (
            <tr key={s.id} data-testid="overview-service" data-service={s.name} className="border-t border-slate-100">
              <td className="max-w-56 truncate px-4 py-2">
                <IntentLink href={`/services/${s.id}`} className="font-medium text-slate-900 hover:underline">
                  {s.name}
                </IntentLink>
                <div className="truncate font-mono text-xs text-slate-500" title={s.source}>
                  {s.source}
                </div>
              </td>
              <td className="px-4 py-2">
                <StatusBadge status={liveStatusView(s.status)} testId="overview-status" />
              </td>
              <td className="px-4 py-2 text-slate-600">
                {s.lastDeployment ? (
                  <span className="flex flex-wrap items-center gap-2">
                    <StatusBadge status={deploymentStatus(s.lastDeployment.status)} />
                    <DateTime value={s.lastDeployment.finishedAt ?? s.lastDeployment.createdAt} />
                  </span>
                ) : (
                  "Never deployed"
                )}
              </td>
              <td className="px-4 py-2 text-right tabular-nums text-slate-700">{s.restartCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
