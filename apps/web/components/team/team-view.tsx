"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf } from "@/lib/errors";
import { roleAtLeast } from "@/lib/roles";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { PageHeader, Panel } from "../ui/page-header";
import { InviteForm } from "./invite-form";
import { MembersTable } from "./members-table";
import { PendingInvitations } from "./pending-invitations";
import { RegistriesPanel } from "./registries-panel";

/** `/team`: the selected team's members and invitations; leave it; create another team. */
export function TeamView() {
  const { team } = useSession();
  const admin = roleAtLeast(team.role, "admin");
  return (
    <div className="space-y-6">
      <PageHeader
        title={team.name}
        subtitle={`You are ${team.role} of this team.`}
        actions={team.role !== "owner" ? <LeaveButton teamId={team.id} /> : undefined}
      />
      <Panel title="Members">
        <MembersTable teamId={team.id} personal={team.personal} />
      </Panel>
      {admin && (
        <Panel title="Invite someone">
          <div className="space-y-6">
            <InviteForm teamId={team.id} canInviteAdmins={team.role === "owner"} />
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-800">Pending invitations</h3>
              <PendingInvitations teamId={team.id} />
            </div>
          </div>
        </Panel>
      )}
      {admin && <RegistriesPanel teamId={team.id} />}
      <NewTeamForm />
    </div>
  );
}

function LeaveButton({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const leave = useMutation(
    trpc.teams.leave.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
        router.push("/");
      },
    }),
  );
  return (
    <div className="flex flex-col items-end gap-2">
      <Button
        variant="secondary"
        onClick={() => window.confirm("Leave this team?") && leave.mutate({ teamId })}
        pending={leave.isPending}
        pendingLabel="Leaving…"
      >
        Leave team
      </Button>
      {leave.error && <ErrorAlert message={errorMessage(leave.error)} />}
    </div>
  );
}

function NewTeamForm() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { setTeamId } = useSession();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.teams.create.mutationOptions({
      onSuccess: async ({ id }) => {
        setName("");
        await queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
        setTeamId(id);
      },
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim() });
  };
  const fields = fieldErrorsOf(create.error);
  return (
    <Panel title="Create a team">
      <form onSubmit={onSubmit} noValidate className="flex flex-wrap items-start gap-3">
        <TextField
          label="Team name"
          name="teamName"
          className="min-w-64 flex-1"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <Button type="submit" className="mt-6.5" pending={create.isPending} pendingLabel="Creating…">
          Create team
        </Button>
      </form>
      {create.error && !fields.name && <ErrorAlert message={errorMessage(create.error)} />}
    </Panel>
  );
}
