"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { Panel } from "../ui/page-header";

const POLL_MS = 10_000;

/** What happened to the service outside its deployments: what Berth's reconciler did, and why. */
export function ServiceEventsPanel({ serviceId }: { serviceId: string }) {
  const trpc = useTRPC();
  const events = useQuery({ ...trpc.services.events.queryOptions({ serviceId }), refetchInterval: POLL_MS });
  return (
    <Panel title="Events">
      {events.data === undefined ? (
        <p className="text-sm text-fg-subtle">{events.isError ? "Events could not be loaded." : "Loading…"}</p>
      ) : events.data.length === 0 ? (
        <p className="text-sm text-fg-subtle">Nothing has happened to this service outside its deployments.</p>
      ) : (
        <ul className="divide-y divide-line text-sm" data-testid="service-events">
          {events.data.map((e) => (
            <li key={e.id} className="flex flex-wrap items-baseline gap-3 py-2" data-kind={e.kind}>
              <span className="text-fg-subtle">{formatDateTime(e.createdAt)}</span>
              <span className="min-w-0 flex-1 text-fg">{e.message}</span>
              <span className="text-xs text-fg-subtle">{e.actor}</span>
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}
