"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { deploymentStatus } from "@/lib/status";
import { useTRPC } from "@/lib/trpc";
import { EnvVarsEditor } from "../env/env-vars-editor";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/checkbox-field";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { StatusBadge } from "../ui/status-badge";

/** Preview deployments of the service's pull requests: the open ones, the switches, the preview-only variables. */
export function PreviewsPanel({
  serviceId,
  projectId,
  canEdit,
  canReveal,
}: {
  serviceId: string;
  projectId: string;
  canEdit: boolean;
  canReveal: boolean;
}) {
  return (
    <>
      <OpenPreviews serviceId={serviceId} />
      <PreviewSettings serviceId={serviceId} canEdit={canEdit} />
      <EnvVarsEditor target={{ kind: "previews", serviceId, projectId }} canEdit={canEdit} canReveal={canReveal} />
    </>
  );
}

function OpenPreviews({ serviceId }: { serviceId: string }) {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.previews.list.queryOptions({ serviceId }), refetchInterval: 3_000 });
  return (
    <Panel title="Open previews">
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} what="previews" />
      ) : list.data.length === 0 ? (
        <p className="text-sm text-fg-muted" data-testid="no-previews">
          No open previews. With previews on, a pull request opened against this service&apos;s repository gets one (its webhook must send
          pull request events).
        </p>
      ) : (
        <ul className="divide-y divide-line text-sm" data-testid="previews-list">
          {list.data.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="preview-row" data-pr={p.pullRequest}>
              <span className="font-medium text-fg">#{p.pullRequest}</span>
              <span className="min-w-0 flex-1 truncate text-fg-muted">{p.title || p.headBranch}</span>
              <code className="font-mono text-xs text-fg-muted" title={p.headSha}>
                {p.headBranch} @ {p.headSha.slice(0, 12)}
              </code>
              {p.fromFork && <span className="text-xs text-amber-800">from a fork</span>}
              <StatusBadge status={deploymentStatus(p.status)} testId="preview-status" />
              {p.url && (
                <a href={p.url} target="_blank" rel="noreferrer" className="font-medium text-accent underline" data-testid="preview-link">
                  {p.url.replace(/^https:\/\//, "")}
                </a>
              )}
              {p.error && <p className="w-full text-xs text-danger-fg">{p.error}</p>}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

function PreviewSettings({ serviceId, canEdit }: { serviceId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const settings = useQuery(trpc.previews.settings.queryOptions({ serviceId }));
  const [form, setForm] = useState({ enabled: false, allowForks: false, limit: "3" });
  useEffect(() => {
    if (settings.data)
      setForm({ enabled: settings.data.enabled, allowForks: settings.data.allowForks, limit: String(settings.data.limit) });
  }, [settings.data]);
  const save = useMutation(
    trpc.previews.updateSettings.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.previews.settings.queryKey({ serviceId }) }),
    }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => ["enabled", "allowForks", "limit"].includes(k));
  const disabled = !canEdit || Boolean(settings.data?.unavailable);
  return (
    <Panel title="Preview deployments">
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <QueryError error={settings.error} onRetry={() => void settings.refetch()} what="preview settings" />
      ) : (
        <form
          className="space-y-4"
          data-testid="preview-settings"
          onSubmit={(e) => {
            e.preventDefault();
            // The limit is sent as typed: the server answers at the field.
            save.mutate({ serviceId, enabled: form.enabled, allowForks: form.allowForks, limit: form.limit as unknown as number });
          }}
        >
          <p className="text-sm text-fg-muted">
            Each open pull request gets its own deployment of its head commit on{" "}
            <code className="font-mono">pr-&lt;number&gt;-&lt;service&gt;.&lt;base domain&gt;</code>, redeployed on every new commit and
            removed with its containers and images when the pull request is closed or merged. Previews run with this service&apos;s
            variables plus the preview variables below; they get no volumes.
          </p>
          {settings.data.unavailable && <p className="text-sm text-amber-800">{settings.data.unavailable}.</p>}
          <CheckboxField
            label="Deploy a preview of each pull request"
            checked={form.enabled}
            disabled={disabled}
            onChange={(e) => setForm({ ...form, enabled: e.target.checked })}
            error={fields.enabled}
          />
          <CheckboxField
            label="Also from forks"
            hint="Off by default: a pull request from a fork runs code anyone can write, with this service's variables and secrets. Turn it on only if you trust every contributor."
            checked={form.allowForks}
            disabled={disabled}
            onChange={(e) => setForm({ ...form, allowForks: e.target.checked })}
            error={fields.allowForks}
          />
          <TextField
            label="At most this many previews at once"
            inputMode="numeric"
            className="max-w-xs"
            value={form.limit}
            disabled={disabled}
            onChange={(e) => setForm({ ...form, limit: e.target.value })}
            error={fields.limit}
            hint="A pull request past the limit gets no preview (its webhook delivery says why)."
          />
          {formError && <ErrorAlert message={formError} />}
          {save.isSuccess && !save.isPending && (
            <p className="text-sm text-emerald-700" role="status">
              Saved.
            </p>
          )}
          {canEdit && (
            <Button type="submit" pending={save.isPending} pendingLabel="Saving…" disabled={Boolean(settings.data.unavailable)}>
              Save preview settings
            </Button>
          )}
        </form>
      )}
    </Panel>
  );
}
