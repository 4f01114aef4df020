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
import { Table, Td, Tr } from "../ui/table";

const ACTIONS = [
  { value: "", label: "All actions" },
  { value: "auth.", label: "Sign-ups and sign-ins" },
  { value: "project.", label: "Projects" },
  { value: "service.deploy", label: "Deploys" },
  { value: "service.", label: "Service changes" },
  { value: "env.", label: "Environment changes" },
  { value: "member.", label: "Members and invitations" },
  { value: "token.", label: "API tokens" },
  { value: "team.", label: "Team" },
  { value: "terminal.", label: "Terminal sessions" },
] as const;

const AUDIT_COLUMNS = [{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Details" }, { label: "From" }];

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
    ...trpc.audit.list.queryOptions({
      teamId: team.id,
      action: action || undefined,
      actorEmail: actorEmail.trim() || undefined,
      limit: 100,
    }),
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
          <Table caption="Audit events" columns={AUDIT_COLUMNS}>
            {events.data.map((e) => (
              <Tr key={e.id} data-testid="audit-row" data-action={e.action}>
                <Td className="whitespace-nowrap">{formatDateTime(e.createdAt)}</Td>
                <Td className="text-fg">{e.actorEmail || "system"}</Td>
                <Td className="font-mono text-xs text-fg">{e.action}</Td>
                <Td>{describe(e.detail)}</Td>
                <Td className="whitespace-nowrap">
                  {e.ip || "—"}
                  {e.via !== "session" && <span className="block text-xs text-fg-subtle">{e.via}</span>}
                </Td>
              </Tr>
            ))}
          </Table>
        )}
      </Panel>
    </div>
  );
}
