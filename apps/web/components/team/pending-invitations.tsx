"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Loading, QueryError } from "../ui/query-state";

export function PendingInvitations({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.invitations.list.queryOptions({ teamId }));
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey({ teamId }) }),
    }),
  );
  if (list.isPending) return <Loading />;
  if (list.isError) return <QueryError error={list.error} onRetry={() => void list.refetch()} what="invitations" />;
  if (list.data.length === 0) return <p className="text-sm text-slate-500">No pending invitations.</p>;
  return (
    <div className="space-y-2">
      <ul className="divide-y divide-slate-200 text-sm">
        {list.data.map((inv) => (
          <li key={inv.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="pending-invitation">
            <span className="font-medium text-slate-800">{inv.email}</span>
            <span className="text-slate-500">{inv.role}</span>
            <span className="text-slate-500">expires {formatDateTime(inv.expiresAt)}</span>
            <Button
              variant="ghost"
              className="ml-auto"
              onClick={() => revoke.mutate({ teamId, invitationId: inv.id })}
              pending={revoke.isPending && revoke.variables.invitationId === inv.id}
              pendingLabel="Revoking…"
            >
              Revoke
            </Button>
          </li>
        ))}
      </ul>
      {revoke.error && <ErrorAlert message={errorMessage(revoke.error)} />}
    </div>
  );
}
