"use client";

import { useQuery } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useTRPC } from "@/lib/trpc";

/** The project's compose stacks (nothing when it has none). */
export function StackList({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const stacks = useQuery(trpc.stacks.list.queryOptions({ projectId }));
  if (!stacks.data || stacks.data.length === 0) return null;
  return (
    <div className="space-y-2">
      <h2 className="text-base font-semibold text-fg">Stacks</h2>
      <ul aria-label="Stacks" className="space-y-1 text-sm">
        {stacks.data.map((s) => (
          <li key={s.id}>
            <IntentLink href={`/stacks/${s.id}`} className="font-medium text-indigo-700 hover:underline">
              {s.name}
            </IntentLink>{" "}
            <span className="text-fg-muted">
              ({s.serviceCount} service{s.serviceCount === 1 ? "" : "s"})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
