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
import { Table, Td, Tr, TwoLine } from "../ui/table";

type Editable = "admin" | "member" | "viewer";
const MEMBER_COLUMNS = [{ label: "Member" }, { label: "Role" }, { label: "Joined" }, { label: "Actions", hidden: true }];

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
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.teams.members.queryKey({ teamId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() }),
    ]);
  const changeRole = useMutation(trpc.teams.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.teams.removeMember.mutationOptions({ onSuccess: refresh }));
  const transfer = useMutation(trpc.teams.transferOwnership.mutationOptions({ onSuccess: refresh }));
  const error = changeRole.error ?? remove.error ?? transfer.error;

  if (members.isPending) return <Loading />;
  if (members.isError) return <QueryError error={members.error} onRetry={() => void members.refetch()} what="members" />;
  return (
    <div className="space-y-3">
      <Table caption="Team members" columns={MEMBER_COLUMNS}>
        {members.data.map((m) => {
          const can = allowed(team.role, m, m.userId === me.user.id);
          return (
            <Tr key={m.userId} data-testid="member-row" data-email={m.email}>
              <Td>
                <TwoLine primary={m.name} secondary={m.email} />
              </Td>
              <Td>
                {can.manage ? (
                  <select
                    aria-label={`Role of ${m.email}`}
                    className={`${inputClass()} w-auto py-1`}
                    value={m.role}
                    disabled={changeRole.isPending}
                    onChange={(e) => changeRole.mutate({ teamId, userId: m.userId, role: e.target.value as Editable })}
                  >
                    {(team.role === "owner" ? ["admin", "member", "viewer"] : ["member", "viewer"]).map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                ) : (
                  <span className="text-fg">{m.role}</span>
                )}
              </Td>
              <Td className="whitespace-nowrap">{formatDateTime(m.joinedAt)}</Td>
              <Td className="text-right whitespace-nowrap">
                {can.transfer && !personal && (
                  <Button
                    variant="ghost"
                    onClick={() =>
                      window.confirm(`Make ${m.email} the owner? You will become an admin.`) &&
                      transfer.mutate({ teamId, userId: m.userId })
                    }
                  >
                    Make owner
                  </Button>
                )}
                {can.manage && (
                  <Button
                    variant="ghost"
                    className="text-danger-fg"
                    onClick={() => remove.mutate({ teamId, userId: m.userId })}
                    pending={remove.isPending && remove.variables.userId === m.userId}
                    pendingLabel="Removing…"
                  >
                    Remove
                  </Button>
                )}
              </Td>
            </Tr>
          );
        })}
      </Table>
      {error && <ErrorAlert message={errorMessage(error)} />}
    </div>
  );
}
