"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { errorMessage } from "@/lib/errors";
import { liveStatusView } from "@/lib/status";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { CopyField } from "../ui/copy-field";
import { Button } from "../ui/button";
import { PageHeader, Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { StatusBadge } from "../ui/status-badge";
import { DeleteStackDialog } from "./delete-stack-dialog";
import { EditStackPanel } from "./edit-stack-panel";
import { ImportNotes } from "./stack-issue-items";

const STATE_LABEL: Record<string, string> = {
  idle: "not deployed",
  waiting: "waiting for dependencies",
  deploying: "deploying",
  done: "deployed",
  failed: "failed",
};
const CONDITION_LABEL: Record<string, string> = {
  service_started: "started",
  service_healthy: "healthy",
  service_completed_successfully: "completed",
};

/** `/stacks/[stackId]`: the stack's services in dependency order, each with its dependencies and status. */
export function StackView({ stackId }: { stackId: string }) {
  const trpc = useTRPC();
  const stack = useQuery({
    ...trpc.stacks.get.queryOptions({ stackId }),
    refetchInterval: (query) =>
      query.state.data?.services.some((s) => s.stackState === "waiting" || s.stackState === "deploying") ? 1_500 : 5_000,
  });
  const deploy = useMutation(trpc.stacks.deploy.mutationOptions({ onSuccess: () => void stack.refetch() }));
  const rotate = useMutation(trpc.stacks.rotateWebhook.mutationOptions({ onSuccess: () => void stack.refetch() }));
  if (stack.data === undefined && !stack.isError) return <Loading label="Loading stack…" />;
  if (stack.data === undefined)
    return <QueryError error={stack.error} onRetry={() => void stack.refetch()} retrying={stack.isFetching} what="this stack" />;
  const data = stack.data;
  return (
    <div className="space-y-6">
      <PageHeader
        eyebrow={
          <IntentLink href={`/projects/${data.projectId}`} className="hover:underline">
            {data.projectName}
          </IntentLink>
        }
        title={data.name}
        subtitle="Compose stack"
        actions={
          <div className="flex gap-2">
            <Button onClick={() => deploy.mutate({ stackId })} pending={deploy.isPending} pendingLabel="Deploying…">
              Deploy stack
            </Button>
            <DeleteStackDialog stack={data} />
          </div>
        }
      />
      {data.git && (
        <Panel title="Repository">
          <p className="text-sm" data-testid="stack-git">
            {data.git.composePath ?? "compose file"} on <strong>{data.git.branch}</strong> of{" "}
            <code className="font-mono">{data.git.url}</code>
            {data.git.commitSha ? ` at ${data.git.commitSha.slice(0, 12)}` : ""}. Pushes to {data.git.branch} re-import it and deploy the
            services that changed.
          </p>
          {data.git.deployKeyPublic && (
            <div className="mt-3 space-y-1">
              <p className="text-sm">
                {data.git.imported
                  ? "Read with this deploy key"
                  : "Not imported yet: add this public key to the repository as a read-only deploy key, then re-import below"}{" "}
                (the stack&apos;s built services clone with it too{data.git.sshHostKeyPinned ? "; the host's SSH key is pinned" : ""}):
              </p>
              <pre className="overflow-x-auto rounded-md bg-surface-muted px-3 py-2 font-mono text-xs" data-testid="stack-deploy-key">
                {data.git.deployKeyPublic}
              </pre>
            </div>
          )}
          {data.git.syncError && <ErrorAlert message={data.git.syncError} />}
          <div className="mt-3 space-y-2">
            {rotate.data ? (
              <>
                <CopyField label="Payload URL" value={rotate.data.url} />
                <CopyField label="Secret (shown once)" value={rotate.data.secret} testId="stack-webhook-secret" />
              </>
            ) : (
              <Button variant="secondary" onClick={() => rotate.mutate({ stackId })} pending={rotate.isPending} pendingLabel="Creating…">
                {data.git.hasWebhookSecret ? "New webhook secret" : "Create webhook secret"}
              </Button>
            )}
            {rotate.error && <ErrorAlert message={errorMessage(rotate.error)} />}
          </div>
        </Panel>
      )}
      {deploy.error && <ErrorAlert message={errorMessage(deploy.error)} />}
      <Panel title="Services, in dependency order">
        <ol aria-label="Stack services" className="divide-y divide-line">
          {data.services.map((s) => (
            <li key={s.id} data-testid={`stack-service-${s.name}`} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-3">
              <span className="w-6 text-sm text-fg-muted">{s.position + 1}.</span>
              <IntentLink href={`/services/${s.id}`} className="font-medium text-indigo-700 hover:underline">
                {s.name}
              </IntentLink>
              <span className="text-xs text-fg-muted">
                {s.job ? "job (runs to completion on each deploy; its output is under Runs)" : s.kind}
                {s.port !== null ? ` :${s.port}` : ""}
              </span>
              <span className="text-sm text-fg-muted">
                {s.dependsOn.length > 0
                  ? `after ${s.dependsOn.map((d) => `${d.service} (${CONDITION_LABEL[d.condition] ?? d.condition})`).join(", ")}`
                  : "no dependencies"}
              </span>
              <span className="ml-auto flex items-center gap-3">
                <span className="text-sm" data-testid="stack-state">
                  {STATE_LABEL[s.stackState] ?? s.stackState}
                </span>
                <StatusBadge status={liveStatusView(s.status)} testId="stack-service-status" />
              </span>
              {s.stackReason && <p className="w-full pl-10 text-sm text-danger-fg">{s.stackReason}</p>}
            </li>
          ))}
        </ol>
      </Panel>
      {data.importWarnings.length > 0 && (
        <Panel title="Notes from the last import">
          <ImportNotes warnings={data.importWarnings} label="Notes from the last import" />
        </Panel>
      )}
      <Panel title="Compose file">
        <pre className="overflow-x-auto rounded bg-surface-muted p-3 font-mono text-xs">{data.compose}</pre>
      </Panel>
      <EditStackPanel key={data.compose} stack={data} onApplied={() => void stack.refetch()} />
    </div>
  );
}
