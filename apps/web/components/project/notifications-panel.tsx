"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { SelectField } from "../ui/select-field";

type Kind = "webhook" | "slack" | "discord" | "email";
const KINDS = [
  { value: "slack", label: "Slack incoming webhook" },
  { value: "discord", label: "Discord webhook" },
  { value: "webhook", label: "Generic webhook (JSON POST)" },
  { value: "email", label: "Email" },
] as const;

/** The server says only "not delivered", or why Berth refused the target (its own policy): shown after a colon. */
const refusalOf = (lastStatus: string) => {
  const reason = lastStatus.replace(/^(error|not delivered):? ?/, "");
  return reason ? `: ${reason}` : "";
};

/** Where this project's deploy successes and failures are sent. Admins add and remove channels. */
export function NotificationsPanel({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<Kind>("slack");
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [onSuccess, setOnSuccess] = useState(true);
  const [onFailure, setOnFailure] = useState(true);
  const channels = useQuery(trpc.notifications.list.queryOptions({ projectId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey({ projectId }) });
  const create = useMutation(
    trpc.notifications.create.mutationOptions({
      onSuccess: () => {
        setName("");
        setTarget("");
        void refresh();
      },
    }),
  );
  const remove = useMutation(trpc.notifications.delete.mutationOptions({ onSuccess: refresh }));
  const test = useMutation(trpc.notifications.test.mutationOptions({ onSettled: refresh }));
  const fields = fieldErrorsOf(create.error);
  const formError = formLevelMessage(create.error, (k) => ["kind", "name", "target", "onFailure"].includes(k));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ projectId, kind, name: name.trim(), target: target.trim(), onSuccess, onFailure });
  };
  return (
    <Panel title="Notifications">
      <div className="space-y-4 text-sm" data-testid="notifications-panel">
        {channels.isPending ? (
          <Loading />
        ) : channels.isError ? (
          <QueryError error={channels.error} onRetry={() => void channels.refetch()} what="notification channels" />
        ) : channels.data.length === 0 ? (
          <p className="text-slate-500">No channels: deploy outcomes are not sent anywhere.</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {channels.data.map((c) => (
              <li key={c.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="channel-row">
                <div className="min-w-0 flex-1">
                  <div className="font-medium text-slate-800">
                    {c.name} <span className="text-xs text-slate-500">{c.kind}</span>
                  </div>
                  <div className="text-xs text-slate-500">
                    <span className="font-mono">{c.target}</span> ·{" "}
                    {[c.onSuccess && "success", c.onFailure && "failure"].filter(Boolean).join(" + ")}
                    {c.lastStatus && ` · last: ${c.lastStatus}`}
                  </div>
                </div>
                {canEdit && (
                  <>
                    <Button
                      variant="ghost"
                      onClick={() => test.mutate({ projectId, channelId: c.id })}
                      pending={test.isPending && test.variables.channelId === c.id}
                      pendingLabel="Sending…"
                    >
                      Send test
                    </Button>
                    <Button
                      variant="ghost"
                      onClick={() => remove.mutate({ projectId, channelId: c.id })}
                      pending={remove.isPending && remove.variables.channelId === c.id}
                      pendingLabel="Removing…"
                    >
                      Remove
                    </Button>
                  </>
                )}
                {test.data && test.variables?.channelId === c.id && (
                  <p
                    role="status"
                    data-testid="channel-test-result"
                    className={`w-full text-xs ${test.data.delivered ? "text-emerald-700" : "text-red-700"}`}
                  >
                    {test.data.delivered
                      ? "Test message sent."
                      : `Test message not delivered${refusalOf(test.data.lastStatus)}. Check the URL or address, then try again.`}
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
        {remove.error && <ErrorAlert message={errorMessage(remove.error)} />}
        {test.error && <ErrorAlert message={errorMessage(test.error)} />}
        {canEdit && (
          <form onSubmit={submit} noValidate className="space-y-3">
            <SelectField
              label="Channel"
              name="kind"
              value={kind}
              onChange={(e) => setKind(e.target.value as Kind)}
              options={KINDS}
              error={fields.kind}
            />
            <TextField label="Name" name="channelName" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} />
            <TextField
              label={kind === "email" ? "Email address" : "Webhook URL"}
              name="target"
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              error={fields.target}
              autoComplete="off"
              hint={kind === "email" ? undefined : "Stored encrypted; shown masked afterwards."}
            />
            <div className="flex gap-4 text-xs text-slate-700">
              <label className="inline-flex items-center gap-1">
                <input type="checkbox" checked={onSuccess} onChange={(e) => setOnSuccess(e.target.checked)} /> On success
              </label>
              <label className="inline-flex items-center gap-1">
                <input type="checkbox" checked={onFailure} onChange={(e) => setOnFailure(e.target.checked)} /> On failure
              </label>
            </div>
            {fields.onFailure && <p className="text-sm text-red-700">{fields.onFailure}</p>}
            <Button type="submit" pending={create.isPending} pendingLabel="Adding…">
              Add channel
            </Button>
            {formError && <ErrorAlert message={formError} />}
          </form>
        )}
      </div>
    </Panel>
  );
}
