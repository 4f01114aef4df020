import { HydrationBoundary } from "@tanstack/react-query";
import type { Metadata } from "next";
import { OverviewView } from "@/components/overview/overview-view";
import { ProjectsView } from "@/components/projects/projects-view";
import { prefetchOverview } from "@/lib/server-api";

export const metadata: Metadata = { title: "Overview" };

/** The overview is in the first HTML: the client hydrates it and only then asks for more. */
export default async function HomePage() {
  return (
    <HydrationBoundary state={await prefetchOverview()}>
      <div className="space-y-10">
        <OverviewView />
        <ProjectsView />
      </div>
    </HydrationBoundary>
  );
}
