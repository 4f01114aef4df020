"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "@/lib/format";
import { roleAtLeast } from "@/lib/roles";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { EmptyState } from "../ui/empty-state";
import { TextField } from "../ui/field";
import { PageHeader, Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { SelectField } from "../ui/select-field";

const ACTIONS = [
  { value: "", label: "All actions" },
  { value: "auth.", label: "Sign-ins" },
  { value: "service.deploy", label: "Deploys" },
  { value: "service.", label: "Service changes" },
  { value: "env.", label: "Environment changes" },
  { value: "member.", label: "Members and invitations" },
  { value: "token.", label: "API tokens" },
  { value: "team.", label: "Team" },
] as const;

function describe(detail: unknown): string {
  if (typeof detail !== "object" || detail === null) return "";
  return Object.entries(detail as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : String(v)}`)
    .join(" · ");
}

/** `/audit`: who did what in the team, when and from where; for admins. */
export function AuditView() {
  const trpc = useTRPC();
  const { team } = useSession();
  const [action, setAction] = useState("");
  const [actorEmail, setActorEmail] = useState("");
  const admin = roleAtLeast(team.role, "admin");
  const events = useQuery({
    ...trpc.audit.list.queryOptions({ teamId: team.id, action: action || undefined, actorEmail: actorEmail.trim() || undefined, limit: 100 }),
    enabled: admin,
    placeholderData: keepPreviousData,
  });
  const header = <PageHeader title="Audit log" subtitle={`What happened in ${team.name}, newest first.`} />;
  if (!admin) {
    return (
      <div className="space-y-6">
        {header}
        <p className="text-sm text-slate-600">Only admins and the owner of this team can read its audit log.</p>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      {header}
      <Panel title="Events">
        <div className="mb-4 grid gap-4 sm:grid-cols-2">
          <SelectField label="Action" value={action} onChange={(e) => setAction(e.target.value)} options={ACTIONS} />
          <TextField label="Who (email contains)" value={actorEmail} onChange={(e) => setActorEmail(e.target.value)} />
        </div>
        {events.isPending ? (
          <Loading />
        ) : events.isError ? (
          <QueryError error={events.error} onRetry={() => void events.refetch()} what="the audit log" />
        ) : events.data.length === 0 ? (
          <EmptyState title="No events match" />
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Audit events</caption>
              <thead className="text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="py-2 pr-4 font-medium">When</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Who</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Action</th>
                  <th scope="col" className="py-2 pr-4 font-medium">Details</th>
                  <th scope="col" className="py-2 font-medium">From</th>
                </tr>
              </thead>
              <tbody>
                {events.data.map((e) => (
                  <tr key={e.id} className="border-t border-slate-200 align-top" data-testid="audit-row" data-action={e.action}>
                    <td className="py-2 pr-4 whitespace-nowrap text-slate-600">{formatDateTime(e.createdAt)}</td>
                    <td className="py-2 pr-4 text-slate-800">{e.actorEmail || "system"}</td>
                    <td className="py-2 pr-4 font-mono text-xs text-slate-800">{e.action}</td>
                    <td className="py-2 pr-4 text-slate-600">{describe(e.detail)}</td>
                    <td className="py-2 whitespace-nowrap text-slate-600">
                      {e.ip || "—"}
                      {e.via !== "session" && <span className="block text-xs text-slate-400">{e.via}</span>}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Panel>
    </div>
  );
}
