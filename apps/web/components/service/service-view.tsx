"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { isDeploymentActive } from "@/lib/status";
import { useTRPC } from "@/lib/trpc";
import { PageHeader, Panel } from "../ui/page-header";
import { Loading, QueryError, StaleNotice } from "../ui/query-state";
import { DeploymentHistory } from "./deployment-history";
import { DomainsPanel } from "./domains-panel";
import { useDeploymentEvents } from "@/lib/use-deployment-events";
import { useSession } from "../shell/session";
import { LogPanel } from "./log-panel";
import { TerminalPanel } from "./terminal-panel";
import { ServiceActions } from "./service-actions";
import { ServiceSummary } from "./service-summary";
import { EnvVarsEditor } from "../env/env-vars-editor";
import { HooksPanel } from "./hooks-panel";
import { roleAtLeast } from "@/lib/roles";
import { ServiceMetricsPanel } from "../metrics/service-metrics-panel";

const FAST_POLL_MS = 1_500;
const SLOW_POLL_MS = 5_000;

/** `/services/[serviceId]`: status, URL, actions, deployment history and live logs. */
export function ServiceView({ serviceId }: { serviceId: string }) {
  const trpc = useTRPC();
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

  if (service.data === undefined && !service.isError) return <Loading label="Loading service…" />;
  if (service.data === undefined) {
    return (
      <div className="space-y-4">
        <PageHeader eyebrow={<Link href="/" className="hover:underline">Projects</Link>} title="Service" />
        <QueryError error={service.error} onRetry={() => void service.refetch()} retrying={service.isFetching} what="this service" />
      </div>
    );
  }
  const s = service.data;
  const role = me.teams.find((t) => t.id === s.teamId)?.role;
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={
          <Link href={`/projects/${s.projectId}`} className="hover:underline">
            {s.projectName}
          </Link>
        }
        title={s.name}
        subtitle={<span className="font-mono">{s.source.type === "git" ? `${s.source.url} @ ${s.source.branch}` : s.image}</span>}
      />
      {service.isError && <StaleNotice error={service.error} onRetry={() => void service.refetch()} />}
      <ServiceActions service={s} />
      <ServiceSummary service={s} />
      <ServiceMetricsPanel serviceId={serviceId} running={s.status.containerUp} />
      {deployments.data ? (
        <DeploymentHistory serviceId={serviceId} deployments={deployments.data} canChange={me.teams.find((t) => t.id === s.teamId)?.role !== "viewer"} />
      ) : (
        <Panel title="Deployments">
          {deployments.isError ? (
            <QueryError error={deployments.error} onRetry={() => void deployments.refetch()} retrying={deployments.isFetching} what="deployments" />
          ) : (
            <Loading label="Loading deployments…" />
          )}
        </Panel>
      )}
      <DomainsPanel serviceId={serviceId} canChange={me.teams.find((t) => t.id === s.teamId)?.role !== "viewer"} />
      <EnvVarsEditor target={{ kind: "service", serviceId, projectId: s.projectId }} canEdit={roleAtLeast(role, "member")} canReveal={roleAtLeast(role, "admin")} />
      <HooksPanel serviceId={serviceId} isGit={s.source.type === "git"} canEdit={roleAtLeast(role, "member")} />
      <LogPanel serviceId={serviceId} restartKey={`${s.latestDeployment?.id ?? ""}:${s.latestDeployment?.status ?? ""}:${s.runtime.state}`} />
      <TerminalPanel serviceId={serviceId} running={s.runtime.state === "running"} canUse={me.teams.find((t) => t.id === s.teamId)?.role !== "viewer"} />
    </div>
  );
}
