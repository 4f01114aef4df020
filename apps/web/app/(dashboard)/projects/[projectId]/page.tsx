import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { ProjectView } from "@/components/project/project-view";
import { pageDataOnServer } from "@/lib/server-data";

export const metadata: Metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  // The project and its services come with the HTML (another team's project: the browser asks, and is refused).
  const state = await pageDataOnServer((trpc) => [trpc.projects.get.queryKey({ projectId })]);
  return (
    <HydrationBoundary state={state}>
      <ProjectView projectId={projectId} />
    </HydrationBoundary>
  );
}
