"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { PageHeader } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { NewProjectForm } from "./new-project-form";
import { ProjectList } from "./project-list";

/** `/`: the selected team's projects and a form to add one. */
export function ProjectsView() {
  const trpc = useTRPC();
  const { team } = useSession();
  const projects = useQuery(trpc.projects.list.queryOptions({ teamId: team.id }));
  const canCreate = team.role !== "viewer";
  return (
    <div className="space-y-6">
      <PageHeader title="Projects" subtitle={team.personal ? "Your personal team" : `Team ${team.name}`} />
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          {projects.data ? (
            <ProjectList projects={projects.data} />
          ) : projects.isError ? (
            <QueryError error={projects.error} onRetry={() => void projects.refetch()} retrying={projects.isFetching} what="projects" />
          ) : (
            <Loading label="Loading projects…" />
          )}
        </div>
        {canCreate ? (
          <NewProjectForm teamId={team.id} />
        ) : (
          <p className="text-sm text-slate-600">You are a viewer in this team, so you cannot create projects.</p>
        )}
      </div>
    </div>
  );
}
