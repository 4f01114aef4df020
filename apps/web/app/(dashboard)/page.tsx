import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { OverviewView } from "@/components/overview/overview-view";
import { ProjectsView } from "@/components/projects/projects-view";
import { teamDataOnServer } from "@/lib/server-data";

export const metadata: Metadata = { title: "Overview" };

export default async function HomePage() {
  // The overview and the project list come with the HTML: no request waits for the scripts.
  const state = await teamDataOnServer((trpc, teamId) => [
    trpc.overview.team.queryKey({ teamId }),
    trpc.projects.list.queryKey({ teamId }),
  ]);
  return (
    <HydrationBoundary state={state}>
      <div className="space-y-10">
        <OverviewView />
        <ProjectsView />
      </div>
    </HydrationBoundary>
  );
}
