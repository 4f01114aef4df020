"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";

/** The user's signed-in sessions; revoking one signs it out at once (its live streams close too). */
export function SessionsPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.me.sessions.queryOptions());
  const revoke = useMutation(
    trpc.me.revokeSession.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.me.sessions.queryKey() }) }),
  );
  return (
    <Panel title="Sessions">
      {sessions.isPending ? (
        <Loading />
      ) : sessions.isError ? (
        <QueryError error={sessions.error} onRetry={() => void sessions.refetch()} what="sessions" />
      ) : (
        <div className="space-y-3">
          <ul className="divide-y divide-slate-200 text-sm">
            {sessions.data.map((s) => (
              <li key={s.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2.5" data-testid="session-row">
                <div className="min-w-0 flex-1">
                  <div className="truncate text-slate-800" title={s.userAgent}>
                    {s.userAgent || "Unknown browser"}
                  </div>
                  <div className="text-slate-500">
                    {s.ipAddress || "unknown address"} · signed in {formatDateTime(s.createdAt)} · last active {formatDateTime(s.updatedAt)}
                  </div>
                </div>
                {s.current ? (
                  <span className="text-xs font-medium text-emerald-700">This browser</span>
                ) : (
                  <Button
                    variant="secondary"
                    onClick={() => revoke.mutate({ sessionId: s.id })}
                    pending={revoke.isPending && revoke.variables.sessionId === s.id}
                    pendingLabel="Signing out…"
                  >
                    Sign out
                  </Button>
                )}
              </li>
            ))}
          </ul>
          {revoke.error && <ErrorAlert message={errorMessage(revoke.error)} />}
        </div>
      )}
    </Panel>
  );
}
