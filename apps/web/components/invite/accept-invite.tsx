"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useRouter } from "next/navigation";
import { errorCode, errorMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { rememberTeam } from "@/lib/team-choice";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Loading } from "../ui/query-state";

const linkClass = "font-medium text-indigo-700 underline-offset-2 hover:underline";

/** `/invite/<token>`: what the invitation offers; sign up or in as the invited email, then join. */
export function AcceptInvite({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const preview = useQuery({ ...trpc.invitations.preview.queryOptions({ token }), retry: false });
  const me = useQuery({ ...trpc.me.get.queryOptions(), retry: false });
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: ({ teamId }) => {
        rememberTeam(teamId);
        void queryClient.invalidateQueries({ queryKey: trpc.me.get.queryKey() });
        router.replace("/");
      },
    }),
  );

  if (preview.isPending || me.isPending) return <Loading />;
  if (preview.isError) {
    return (
      <div className="space-y-3">
        <h1 className="text-lg font-semibold text-slate-900">Invitation</h1>
        <ErrorAlert
          message={errorCode(preview.error) === "NOT_FOUND" ? "This invitation link is not valid." : errorMessage(preview.error)}
        />
        <p className="text-sm text-slate-600">Ask the person who invited you for a new link.</p>
      </div>
    );
  }
  const invite = preview.data;
  const query = `?invite=${encodeURIComponent(token)}`;
  return (
    <div className="space-y-4">
      <h1 className="text-lg font-semibold text-slate-900">Join {invite.teamName}</h1>
      <p className="text-sm text-slate-700">
        You are invited as <strong>{invite.role}</strong>. The invitation is for <strong>{invite.email}</strong> and expires{" "}
        {formatDateTime(invite.expiresAt)}.
      </p>
      {me.data ? (
        <>
          <p className="text-sm text-slate-600">Signed in as {me.data.user.email}.</p>
          {accept.error && <ErrorAlert message={errorMessage(accept.error)} />}
          <Button
            className="w-full"
            onClick={() => accept.mutate({ token })}
            pending={accept.isPending || accept.isSuccess}
            pendingLabel="Joining…"
          >
            Join {invite.teamName}
          </Button>
        </>
      ) : (
        <p className="text-sm text-slate-700">
          <IntentLink href={`/sign-up${query}`} className={linkClass}>
            Create an account
          </IntentLink>{" "}
          with {invite.email}, or{" "}
          <IntentLink href={`/sign-in${query}`} className={linkClass}>
            sign in
          </IntentLink>{" "}
          if you have one.
        </p>
      )}
    </div>
  );
}
