import { IntentLink } from "../ui/intent-link";
import type { Deployment, ServiceDetail } from "@/lib/api-types";
import { engineInfo } from "@/lib/database-engines";
import { DateTime } from "../ui/date-time";
import { deploymentStatus } from "@/lib/status";
import { tabHref } from "@/lib/service-tabs";
import { ServiceMetricsPanel } from "../metrics/service-metrics-panel";
import { Panel } from "../ui/page-header";
import { StatusBadge } from "../ui/status-badge";
import { ServiceEventsPanel } from "./service-events-panel";
import { ServiceSummary } from "./service-summary";

const RECENT = 5;

/** How another service of the project connects to a database Berth created: a reference to its URL variable. */
function DatabaseConnection({ name, database }: { name: string; database: NonNullable<ServiceDetail["database"]> }) {
  const info = engineInfo(database.engine);
  return (
    <p data-testid="database-connection">
      {info?.label ?? database.engine} database: other services connect with the variable{" "}
      <code className="rounded bg-surface-muted px-1 font-mono text-fg">{`\${{${name}.${database.urlVariable}}}`}</code>
      {info && (
        <>
          {" "}
          (<code className="rounded bg-surface-muted px-1 font-mono text-fg">{info.url(name)}</code>)
        </>
      )}
      ; the credentials are this service&apos;s variables.
      {database.externalUrl && (
        <span className="mt-1 block" data-testid="database-external-url">
          From outside the project: <code className="rounded bg-surface-muted px-1 font-mono text-fg">{database.externalUrl}</code> (an
          admin reveals the password under Variables).
        </span>
      )}
    </p>
  );
}

/** How the other services of the project reach this one, and where a TCP service is published. */
function InternalAddress({ service }: { service: ServiceDetail }) {
  const publish = service.settings.publish;
  return (
    <section
      aria-label="Network"
      className="space-y-1 rounded-lg border border-line bg-surface px-5 py-3 text-sm text-fg-muted shadow-xs"
      data-testid="internal-address"
    >
      {service.internal ? (
        <p>
          Reachable inside the project as{" "}
          <code className="rounded bg-surface-muted px-1 font-mono text-fg">
            {service.internal.name}:{service.internal.port}
          </code>{" "}
          (or{" "}
          <code className="rounded bg-surface-muted px-1 font-mono text-fg">
            {service.internal.alias}:{service.internal.port}
          </code>
          ).
        </p>
      ) : (
        <p>
          A worker has no port of its own; other services of the project still reach it by its name,{" "}
          <code className="rounded bg-surface-muted px-1 font-mono text-fg">{service.name}</code>, on the ports it listens on.
        </p>
      )}
      {service.database && service.internal && <DatabaseConnection name={service.name} database={service.database} />}
      {service.kind === "tcp" && publish && (
        <p>
          Published on this host at{" "}
          <code className="rounded bg-surface-muted px-1 font-mono text-fg">
            {publish.bindAddress}:{publish.hostPort}
          </code>
          .
        </p>
      )}
    </section>
  );
}

function RecentDeployments({ serviceId, deployments }: { serviceId: string; deployments: Deployment[] | undefined }) {
  const all = (
    <IntentLink
      href={tabHref(serviceId, "deployments")}
      scroll={false}
      className="text-sm font-medium text-accent hover:underline focus-visible:outline-2 focus-visible:outline-focus"
    >
      All deployments and logs
    </IntentLink>
  );
  return (
    <Panel title="Recent deployments" actions={all}>
      {deployments === undefined ? (
        <p className="text-sm text-fg-subtle">Loading…</p>
      ) : deployments.length === 0 ? (
        <p className="text-sm text-fg-subtle">Not deployed yet.</p>
      ) : (
        <ul className="divide-y divide-line text-sm">
          {deployments.slice(0, RECENT).map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-3 py-2">
              <StatusBadge status={deploymentStatus(d.status)} />
              <span className="font-mono text-xs text-fg-subtle">{d.id.slice(0, 8)}</span>
              <span className="min-w-0 flex-1 truncate text-fg-muted">
                {d.commitSha ? `${d.commitSha.slice(0, 7)} ${d.commitMessage ?? ""}` : d.image}
              </span>
              <span className="text-fg-subtle">
                <DateTime value={d.createdAt} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** Status, URL, how to reach it, live metrics, the last few deployments and the service's events. */
export function OverviewTab({ service, deployments }: { service: ServiceDetail; deployments: Deployment[] | undefined }) {
  return (
    <>
      <ServiceSummary service={service} />
      <InternalAddress service={service} />
      <ServiceMetricsPanel serviceId={service.id} running={service.status.containerUp} />
      <RecentDeployments serviceId={service.id} deployments={deployments} />
      <ServiceEventsPanel serviceId={service.id} />
    </>
  );
}
