"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";

/** Global build concurrency and whether local (file://, loopback) git sources are allowed. */
export function BuildSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.instance.settings.queryOptions());
  const [concurrency, setConcurrency] = useState<string | null>(null);
  const [retention, setRetention] = useState<string | null>(null);
  // Shown at once while saving, so the controlled checkbox never flips back mid-request.
  const [pendingLocal, setPendingLocal] = useState<boolean | null>(null);
  const update = useMutation(
    trpc.instance.updateSettings.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.instance.settings.queryKey(), data);
        setConcurrency(null);
        setRetention(null);
      },
      onSettled: () => setPendingLocal(null),
    }),
  );
  if (!settings.data) return null;
  const shown = concurrency ?? (settings.data.buildConcurrency === null ? "" : String(settings.data.buildConcurrency));
  const retentionShown = retention ?? String(settings.data.buildLogRetentionDays);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ buildConcurrency: shown.trim() === "" ? null : Number(shown), buildLogRetentionDays: Number(retentionShown) });
  };
  const fields = fieldErrorsOf(update.error);
  return (
    <Panel title="Deployments">
      <form onSubmit={onSubmit} className="space-y-4" aria-label="Deployment settings" noValidate>
        <TextField
          label="Build concurrency"
          name="buildConcurrency"
          type="number"
          min={1}
          max={16}
          value={shown}
          onChange={(e) => setConcurrency(e.target.value)}
          placeholder="2"
          error={fields.buildConcurrency}
          hint="How many deployments may clone, build and release at once across the instance. Empty: the server default (BERTH_BUILD_CONCURRENCY, 2)."
        />
        <TextField
          label="Keep deployment logs (days)"
          name="buildLogRetentionDays"
          type="number"
          min={1}
          max={3650}
          value={retentionShown}
          onChange={(e) => setRetention(e.target.value)}
          error={fields.buildLogRetentionDays}
          hint="The clone/build/release log of a finished deployment is deleted after this many days."
        />
        <label className="flex items-start gap-3 text-sm">
          <input
            type="checkbox"
            name="allowLocalSources"
            className="mt-0.5 size-4 accent-indigo-600"
            checked={pendingLocal ?? settings.data.allowLocalSources}
            disabled={update.isPending}
            onChange={(e) => {
              setPendingLocal(e.target.checked);
              update.mutate({ allowLocalSources: e.target.checked });
            }}
          />
          <span>
            <span className="font-medium text-slate-900">Allow local git sources</span>
            <span className="block text-slate-600">
              file:// and plain http:// repositories, and URLs aimed at this machine. Off unless you need it.
            </span>
          </span>
        </label>
        {update.error && <ErrorAlert message={errorMessage(update.error)} />}
        <Button type="submit" pending={update.isPending} pendingLabel="Saving…">
          Save
        </Button>
      </form>
    </Panel>
  );
}
