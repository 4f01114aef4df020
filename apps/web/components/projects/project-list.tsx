import { DateTime } from "../ui/date-time";
import { IntentLink } from "../ui/intent-link";
import type { ProjectSummary } from "@/lib/api-types";
import { EmptyState } from "../ui/empty-state";

export function ProjectList({ projects }: { projects: ProjectSummary[] }) {
  if (projects.length === 0) {
    return <EmptyState title="No projects yet">A project groups the services of one app. Create the first one with the form.</EmptyState>;
  }
  return (
    <ul aria-label="Projects" className="divide-y divide-slate-200 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-xs">
      {projects.map((project) => (
        <li key={project.id}>
          <IntentLink
            href={`/projects/${project.id}`}
            className="block px-5 py-4 hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600"
          >
            <div className="flex items-baseline justify-between gap-4">
              <span className="min-w-0 font-medium break-words text-slate-900">{project.name}</span>
              <span className="shrink-0 text-xs text-slate-500">
                {project.serviceCount === 1 ? "1 service" : `${project.serviceCount} services`}
              </span>
            </div>
            {project.description && <p className="mt-1 line-clamp-2 text-sm text-slate-600">{project.description}</p>}
            <p className="mt-1 text-xs text-fg-subtle">
              Created <DateTime value={project.createdAt} />
            </p>
          </IntentLink>
        </li>
      ))}
    </ul>
  );
}
