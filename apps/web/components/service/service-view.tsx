"use client";

import { useQuery } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { isDeploymentActive, liveStatusView } from "@/lib/status";
import { tabFromParam, tabHref, type ServiceTab } from "@/lib/service-tabs";
import { useTRPC } from "@/lib/trpc";
import { PageHeader, Panel } from "../ui/page-header";
import { Loading, QueryError, StaleNotice } from "../ui/query-state";
import { StatusBadge } from "../ui/status-badge";
import { DeploymentHistory } from "./deployment-history";
import { DomainsPanel } from "./domains-panel";
import { useDeploymentEvents } from "@/lib/use-deployment-events";
import { useSession } from "../shell/session";
import { LogPanel } from "./log-panel";
import { TerminalPanel } from "./terminal-panel";
import { ServiceActions } from "./service-actions";
import { EnvVarsEditor } from "../env/env-vars-editor";
import { HooksPanel } from "./hooks-panel";
import { roleAtLeast } from "@/lib/roles";
import { DatabasePublicPort } from "./database-public-port";
import { PlacementPanel } from "./placement-panel";
import { ServiceTabs } from "./service-tabs";
import { OverviewTab } from "./overview-tab";
import { PreviewsPanel } from "./previews-panel";
import { RunCommandPanel } from "./run-command-panel";
import { CronJobsPanel } from "./cron-jobs-panel";
import { ActiveDeploymentNotice, PendingChangesNotice } from "./service-notices";
import { SettingsTab } from "./settings/settings-tab";
import { BackupsPanel } from "../backups/backups-panel";
import { VolumeBackups } from "../backups/volume-backups";

const FAST_POLL_MS = 1_500;
const SLOW_POLL_MS = 5_000;

/**
 * `/services/[serviceId]?tab=…`: the header (status, actions) over one tab at a time. A tab
 * mounts when first opened and then stays mounted while hidden, so a log buffer, a terminal
 * session or an unsaved settings form survive a look at another tab.
 */
export function ServiceView({
  serviceId,
  tabParam,
  taskParam,
}: {
  serviceId: string;
  tabParam?: string | string[] | undefined;
  /** A cluster service's task the Logs and Terminal tabs start on (the Placement panel's links). */
  taskParam?: string | string[] | undefined;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const { me } = useSession();
  useDeploymentEvents(serviceId);
  const service = useQuery({
    ...trpc.services.get.queryOptions({ serviceId }),
    refetchInterval: (query) => (isDeploymentActive(query.state.data?.latestDeployment?.status) ? FAST_POLL_MS : SLOW_POLL_MS),
  });
  const active = isDeploymentActive(service.data?.latestDeployment?.status);
  const deployments = useQuery({
    ...trpc.deployments.list.queryOptions({ serviceId }),
    refetchInterval: (query) => (active || query.state.data?.some((d) => isDeploymentActive(d.status)) ? FAST_POLL_MS : SLOW_POLL_MS),
  });
  const tab = tabFromParam(tabParam, service.data?.kind ?? "web");
  const [visited, setVisited] = useState<ServiceTab[]>(["overview"]);
  useEffect(() => setVisited((v) => (v.includes(tab) ? v : [...v, tab])), [tab]);

  if (service.data === undefined && !service.isError) return <Loading label="Loading service…" />;
  if (service.data === undefined) {
    return (
      <div className="space-y-4">
        <PageHeader
          eyebrow={
            <IntentLink href="/" className="hover:underline">
              Projects
            </IntentLink>
          }
          title="Service"
        />
        <QueryError error={service.error} onRetry={() => void service.refetch()} retrying={service.isFetching} what="this service" />
      </div>
    );
  }
  const s = service.data;
  const role = me.teams.find((t) => t.id === s.teamId)?.role;
  const canChange = roleAtLeast(role, "member");
  const showDeployments = () => router.push(tabHref(serviceId, "deployments"), { scroll: false });
  const panel = (id: ServiceTab, content: ReactNode) =>
    id === tab || visited.includes(id) ? (
      <div key={id} hidden={id !== tab} data-testid={`tab-panel-${id}`} className="space-y-6">
        {content}
      </div>
    ) : null;
  const status = liveStatusView(s.status.status);
  const task = (Array.isArray(taskParam) ? taskParam[0] : taskParam) ?? "";
  const cluster = s.placement.mode === "cluster";

  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={
          <IntentLink href={`/projects/${s.projectId}`} className="hover:underline">
            {s.projectName}
          </IntentLink>
        }
        title={s.name}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            {tab !== "overview" && <StatusBadge status={status} />}
            <span className="font-mono">{s.source.type === "git" ? `${s.source.url} @ ${s.source.branch}` : s.image}</span>
            <span className="text-fg-subtle">· {s.kind === "tcp" ? "TCP" : s.kind}</span>
            <span className="text-fg-subtle" data-testid="service-runs-on">
              · {cluster ? "on the cluster" : s.placement.server ? `on ${s.placement.server.name}` : "on this server"}
            </span>
          </span>
        }
      />
      {service.isError && <StaleNotice error={service.error} onRetry={() => void service.refetch()} />}
      <ServiceActions service={s} onDeployed={showDeployments} />
      {tab !== "deployments" && <ActiveDeploymentNotice service={s} />}
      {canChange && <PendingChangesNotice service={s} onDeployed={showDeployments} />}
      <ServiceTabs serviceId={serviceId} kind={s.kind} current={tab} />
      {panel(
        "overview",
        <>
          <OverviewTab service={s} deployments={deployments.data} />
          {s.database && roleAtLeast(role, "admin") && <DatabasePublicPort serviceId={serviceId} current={s.database.publicPort} />}
          <PlacementPanel service={s} canChange={canChange} isAdmin={roleAtLeast(role, "admin")} />
          <BackupsPanel serviceId={serviceId} serviceName={s.name} canBackUp={canChange} isAdmin={roleAtLeast(role, "admin")} />
        </>,
      )}
      {panel(
        "deployments",
        deployments.data ? (
          // Keyed by the newest deployment: a new one (Deploy, a webhook, a rollback) is selected and its live log shown.
          <DeploymentHistory
            key={deployments.data[0]?.id ?? "none"}
            serviceId={serviceId}
            deployments={deployments.data}
            canChange={canChange}
            builds={s.source.type === "git"}
          />
        ) : (
          <Panel title="Deployments">
            {deployments.isError ? (
              <QueryError
                error={deployments.error}
                onRetry={() => void deployments.refetch()}
                retrying={deployments.isFetching}
                what="deployments"
              />
            ) : (
              <Loading label="Loading deployments…" />
            )}
          </Panel>
        ),
      )}
      {panel(
        "logs",
        <LogPanel
          serviceId={serviceId}
          restartKey={`${s.latestDeployment?.id ?? ""}:${s.latestDeployment?.status ?? ""}:${s.runtime.state}`}
          task={task}
        />,
      )}
      {panel(
        "terminal",
        <TerminalPanel serviceId={serviceId} running={s.runtime.state === "running"} canUse={canChange} cluster={cluster} task={task} />,
      )}
      {panel(
        "jobs",
        <>
          <RunCommandPanel serviceId={serviceId} canRun={canChange} />
          <CronJobsPanel serviceId={serviceId} canEdit={canChange} />
        </>,
      )}
      {panel(
        "variables",
        <EnvVarsEditor
          target={{ kind: "service", serviceId, projectId: s.projectId }}
          canEdit={canChange}
          canReveal={roleAtLeast(role, "admin")}
        />,
      )}
      {s.kind === "web" && panel("domains", <DomainsPanel serviceId={serviceId} canChange={canChange} />)}
      {panel(
        "settings",
        <>
          <SettingsTab service={s} canEdit={canChange} onDeployed={showDeployments} />
          <VolumeBackups serviceId={serviceId} serviceName={s.name} canBackUp={canChange} isAdmin={roleAtLeast(role, "admin")} />
        </>,
      )}
      {panel("webhooks", <HooksPanel serviceId={serviceId} isGit={s.source.type === "git"} canEdit={canChange} />)}
      {s.kind === "web" &&
        panel(
          "previews",
          <PreviewsPanel serviceId={serviceId} projectId={s.projectId} canEdit={canChange} canReveal={roleAtLeast(role, "admin")} />,
        )}
    </div>
  );
}
