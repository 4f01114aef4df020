"use client";

import { useQuery } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useEffect } from "react";
import { isDeploymentActive } from "@/lib/status";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { PageHeader } from "../ui/page-header";
import { Loading, QueryError, StaleNotice } from "../ui/query-state";
import { NewMenu } from "./new-menu";
import { StackList } from "../stack/stack-list";
import { ServiceList } from "./service-list";
import { EnvVarsEditor } from "../env/env-vars-editor";
import { NotificationsPanel } from "./notifications-panel";
import { roleAtLeast } from "@/lib/roles";
import { RenameProjectDialog } from "./rename-project-dialog";
import { DeleteProjectDialog } from "./delete-project-dialog";
import { VolumesPanel } from "./volumes-panel";

/** `/projects/[projectId]`: the project's services with their status, and a form to add one. */
export function ProjectView({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const { me, team, setTeamId } = useSession();
  const volumes = useQuery(trpc.projects.volumes.queryOptions({ projectId }));
  const project = useQuery({
    ...trpc.projects.get.queryOptions({ projectId }),
    refetchInterval: (query) => (query.state.data?.services.some((s) => isDeploymentActive(s.latestDeployment?.status)) ? 2_000 : 5_000),
  });
  const projectTeamId = project.data?.teamId;
  useEffect(() => {
    if (projectTeamId && projectTeamId !== team.id && me.teams.some((t) => t.id === projectTeamId)) setTeamId(projectTeamId);
  }, [projectTeamId, team.id, me.teams, setTeamId]);

  const back = (
    <IntentLink href="/" className="hover:underline">
      Projects
    </IntentLink>
  );
  if (project.data === undefined && !project.isError) return <Loading label="Loading project…" />;
  if (project.data === undefined) {
    return (
      <div className="space-y-4">
        <PageHeader eyebrow={back} title="Project" />
        <QueryError error={project.error} onRetry={() => void project.refetch()} retrying={project.isFetching} what="this project" />
      </div>
    );
  }
  const role = me.teams.find((t) => t.id === project.data.teamId)?.role;
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={back}
        title={project.data.name}
        subtitle={project.data.description || undefined}
        actions={
          roleAtLeast(role, "member") ? (
            <>
              <RenameProjectDialog project={project.data} />
              {roleAtLeast(role, "admin") && (
                <DeleteProjectDialog project={project.data} volumes={(volumes.data?.volumes ?? []) as { name: string }[]} />
              )}
            </>
          ) : undefined
        }
      />
      {project.isError && <StaleNotice error={project.error} onRetry={() => void project.refetch()} />}
      <div className="grid gap-6 lg:grid-cols-5">
        <section aria-label="Services" className="space-y-3 lg:col-span-3">
          <h2 className="text-base font-semibold text-slate-900">Services</h2>
          <ServiceList services={project.data.services} />
          <StackList projectId={projectId} />
        </section>
        <div className="lg:col-span-2">
          {role === "viewer" ? (
            <p className="text-sm text-slate-600">You are a viewer in this team, so you cannot add services.</p>
          ) : (
            <NewMenu projectId={projectId} />
          )}
        </div>
      </div>
      <VolumesPanel projectId={projectId} canDelete={roleAtLeast(role, "admin")} />
      <EnvVarsEditor target={{ kind: "project", projectId }} canEdit={roleAtLeast(role, "member")} canReveal={roleAtLeast(role, "admin")} />
      <NotificationsPanel projectId={projectId} canEdit={roleAtLeast(role, "admin")} />
    </div>
  );
}
