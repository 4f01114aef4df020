"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { ROLE_HINTS } from "@/lib/roles";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-field";
import { TextField } from "../ui/field";
import { SelectField } from "../ui/select-field";

type InviteRole = "admin" | "member" | "viewer";
const ROLE_OPTIONS = (["member", "viewer", "admin"] as const).map((r) => ({ value: r, label: `${r[0]!.toUpperCase()}${r.slice(1)}` }));

/** Invite by email; the link is shown once to copy (Berth sends no email). */
export function InviteForm({ teamId, canInviteAdmins }: { teamId: string; canInviteAdmins: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<InviteRole>("member");
  const create = useMutation(
    trpc.invitations.create.mutationOptions({
      onSuccess: () => {
        setEmail("");
        void queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey({ teamId }) });
      },
    }),
  );
  const fields = fieldErrorsOf(create.error);
  const formError = formLevelMessage(create.error, (key) => key === "email" || key === "role");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ teamId, email: email.trim(), role });
  };
  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start">
        <TextField
          label="Email"
          name="email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={fields.email}
        />
        <SelectField
          label="Role"
          name="role"
          value={role}
          onChange={(e) => setRole(e.target.value as InviteRole)}
          options={ROLE_OPTIONS.filter((o) => canInviteAdmins || o.value !== "admin")}
          error={fields.role}
        />
        <Button type="submit" className="sm:mt-6.5" pending={create.isPending} pendingLabel="Creating…">
          Create invitation
        </Button>
      </form>
      <p className="text-xs text-slate-500">{ROLE_HINTS[role]}</p>
      {formError && <ErrorAlert message={formError} />}
      {create.data && (
        <CopyField
          label={`Invitation link for ${create.variables.email}`}
          value={create.data.link}
          testId="invite-link"
          hint={`${create.data.emailed ? `Emailed to ${create.variables.email}; you can also send it yourself.` : "Send it to them yourself."} It works once, only for that email, until ${formatDateTime(create.data.expiresAt)}. It is shown only now.`}
        />
      )}
    </div>
  );
}
