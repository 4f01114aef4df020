import type { Metadata } from "next";
import { OverviewView } from "@/components/overview/overview-view";
import { ProjectsView } from "@/components/projects/projects-view";

export const metadata: Metadata = { title: "Overview" };

export default function HomePage() {
  return (
    <div className="space-y-10">
      <OverviewView />
      <ProjectsView />
    </div>
  );
}
