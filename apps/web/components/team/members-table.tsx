"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Member, TeamRole } from "@/lib/api-types";
import { errorMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import { Loading, QueryError } from "../ui/query-state";

type Editable = "admin" | "member" | "viewer";

/** What the caller may do to a member: mirrors the server's rules, which decide anyway. */
function allowed(callerRole: TeamRole, target: Member, self: boolean) {
  const manage = !self && target.role !== "owner" && (callerRole === "owner" || (callerRole === "admin" && target.role !== "admin"));
  return { manage, transfer: callerRole === "owner" && !self };
}

export function MembersTable({ teamId, personal }: { teamId: string; personal: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me, team } = useSession();
  const members = useQuery(trpc.teams.members.queryOptions({ teamId }));
  const refresh = () => Promise.all([queryClient.invalidateQueries({ queryKey: trpc.teams.members.queryKey({ teamId }) }), queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() })]);
  const changeRole = useMutation(trpc.teams.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.teams.removeMember.mutationOptions({ onSuccess: refresh }));
  const transfer = useMutation(trpc.teams.transferOwnership.mutationOptions({ onSuccess: refresh }));
  const error = changeRole.error ?? remove.error ?? transfer.error;

  if (members.isPending) return <Loading />;
  if (members.isError) return <QueryError error={members.error} onRetry={() => void members.refetch()} what="members" />;
  return (
    <div className="space-y-3">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Team members</caption>
        <thead className="text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="py-2 pr-4 font-medium">Member</th>
            <th scope="col" className="py-2 pr-4 font-medium">Role</th>
            <th scope="col" className="py-2 pr-4 font-medium">Joined</th>
            <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {members.data.map((m) => {
            const can = allowed(team.role, m, m.userId === me.user.id);
            return (
              <tr key={m.userId} className="border-t border-slate-200" data-testid="member-row" data-email={m.email}>
                <td className="py-2.5 pr-4">
                  <div className="font-medium text-slate-800">{m.name}</div>
                  <div className="text-slate-500">{m.email}</div>
                </td>
                <td className="py-2.5 pr-4">
                  {can.manage ? (
                    <select
                      aria-label={`Role of ${m.email}`}
                      className={`${inputClass()} w-auto py-1`}
                      value={m.role}
                      disabled={changeRole.isPending}
                      onChange={(e) => changeRole.mutate({ teamId, userId: m.userId, role: e.target.value as Editable })}
                    >
                      {(team.role === "owner" ? ["admin", "member", "viewer"] : ["member", "viewer"]).map((r) => (
                        <option key={r} value={r}>{r}</option>
                      ))}
                    </select>
                  ) : (
                    <span className="text-slate-700">{m.role}</span>
                  )}
                </td>
                <td className="py-2.5 pr-4 whitespace-nowrap text-slate-600">{formatDateTime(m.joinedAt)}</td>
                <td className="py-2.5 text-right whitespace-nowrap">
                  {can.transfer && !personal && (
                    <Button variant="ghost" onClick={() => window.confirm(`Make ${m.email} the owner? You will become an admin.`) && transfer.mutate({ teamId, userId: m.userId })}>
                      Make owner
                    </Button>
                  )}
                  {can.manage && (
                    <Button variant="ghost" className="text-red-700" onClick={() => remove.mutate({ teamId, userId: m.userId })} pending={remove.isPending && remove.variables.userId === m.userId} pendingLabel="Removing…">
                      Remove
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {error && <ErrorAlert message={errorMessage(error)} />}
    </div>
  );
}
