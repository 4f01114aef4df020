import { IntentLink } from "../ui/intent-link";
import type { ServiceSummary } from "@/lib/api-types";
import { DateTime } from "../ui/date-time";
import { liveStatusView } from "@/lib/status";
import { EmptyState } from "../ui/empty-state";
import { StatusBadge } from "../ui/status-badge";

export function ServiceList({ services }: { services: ServiceSummary[] }) {
  if (services.length === 0) {
    return <EmptyState title="No services yet">A service runs one container image. Add one with the form.</EmptyState>;
  }
  return (
    <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Services</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Service
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Status
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Source
            </th>
            <th scope="col" className="px-4 py-2.5 font-medium">
              Last deploy
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {services.map((service) => (
            <tr key={service.id} data-testid="service-row">
              <td className="px-4 py-3">
                <IntentLink
                  href={`/services/${service.id}`}
                  className="font-medium text-indigo-700 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  {service.name}
                </IntentLink>
                <span className="ml-2 text-xs text-slate-500">
                  {service.kind === "worker" ? "worker" : `${service.kind === "tcp" ? "tcp " : ""}:${service.containerPort}`}
                </span>
              </td>
              <td className="px-4 py-3">
                <StatusBadge status={liveStatusView(service.status)} />
              </td>
              <td
                className="max-w-48 truncate px-4 py-3 font-mono text-xs text-slate-700"
                title={service.sourceType === "git" ? (service.gitUrl ?? "") : service.image}
              >
                {service.sourceType === "git" ? service.gitUrl : service.image}
              </td>
              <td className="px-4 py-3 text-slate-600">
                {service.latestDeployment ? <DateTime value={service.latestDeployment.createdAt} /> : "Never"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
