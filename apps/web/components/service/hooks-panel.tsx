"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";

const OUTCOME_STYLE: Record<string, string> = {
  deployed: "text-emerald-700",
  ignored: "text-slate-600",
  rejected: "text-red-700",
  failed: "text-red-700",
};

/** Push-to-deploy: the webhook URL and its secret, the generic deploy hook, recent deliveries. */
export function HooksPanel({ serviceId, isGit, canEdit }: { serviceId: string; isGit: boolean; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hooks = useQuery({ ...trpc.hooks.get.queryOptions({ serviceId }), refetchInterval: 5_000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.hooks.get.queryKey({ serviceId }) });
  const rotate = useMutation(trpc.hooks.rotateSecret.mutationOptions({ onSuccess: refresh }));
  const disable = useMutation(
    trpc.hooks.disable.mutationOptions({
      onSuccess: () => {
        rotate.reset();
        void refresh();
      },
    }),
  );
  const rotateHook = useMutation(trpc.hooks.rotateDeployHook.mutationOptions({ onSuccess: refresh }));
  const removeHook = useMutation(
    trpc.hooks.removeDeployHook.mutationOptions({
      onSuccess: () => {
        rotateHook.reset();
        void refresh();
      },
    }),
  );
  const failure = [rotate, disable, rotateHook, removeHook].find((m) => m.error)?.error;

  return (
    <Panel title="Webhooks and deploy hook">
      {hooks.isPending ? (
        <Loading />
      ) : hooks.isError ? (
        <QueryError error={hooks.error} onRetry={() => void hooks.refetch()} what="webhooks" />
      ) : (
        <div className="space-y-5 text-sm" data-testid="hooks-panel">
          {isGit && (
            <section className="space-y-2">
              <h3 className="font-medium text-slate-900">Push to deploy</h3>
              <p className="text-slate-600">
                Add this URL as a push webhook in GitHub, GitLab, Gitea, Forgejo or Bitbucket (content type JSON) with the secret below. A
                push to <code className="font-mono text-xs">{hooks.data.branch}</code> deploys exactly the pushed commit; pull/merge request
                events update previews when they are on (Previews tab); other events are acknowledged and ignored.
              </p>
              <CopyField label="Webhook URL" value={hooks.data.gitUrl} testId="webhook-url" />
              {rotate.data && (
                <CopyField
                  label="Webhook secret"
                  value={rotate.data.secret}
                  testId="webhook-secret"
                  hint="Copy it into the webhook settings now: it is shown only once."
                />
              )}
              <p className="text-slate-600">
                {hooks.data.hasSecret
                  ? "A secret is set: only signed deliveries are accepted."
                  : "No secret yet: webhooks are refused until you generate one."}
              </p>
              {canEdit && (
                <div className="flex gap-2">
                  <Button
                    variant="secondary"
                    onClick={() => rotate.mutate({ serviceId })}
                    pending={rotate.isPending}
                    pendingLabel="Generating…"
                  >
                    {hooks.data.hasSecret ? "Rotate secret" : "Generate secret"}
                  </Button>
                  {hooks.data.hasSecret && (
                    <Button
                      variant="ghost"
                      onClick={() => disable.mutate({ serviceId })}
                      pending={disable.isPending}
                      pendingLabel="Turning off…"
                    >
                      Turn off webhooks
                    </Button>
                  )}
                </div>
              )}
            </section>
          )}
          <section className="space-y-2">
            <h3 className="font-medium text-slate-900">Deploy hook</h3>
            <p className="text-slate-600">
              A secret URL that redeploys this service&apos;s configured {isGit ? "branch" : "image"} on any POST. The request body is
              ignored.
            </p>
            {rotateHook.data && (
              <CopyField
                label="Deploy hook URL"
                value={rotateHook.data.url}
                testId="deploy-hook-url"
                hint="Shown only once; Berth stores only a hash."
              />
            )}
            {canEdit && (
              <div className="flex gap-2">
                <Button
                  variant="secondary"
                  onClick={() => rotateHook.mutate({ serviceId })}
                  pending={rotateHook.isPending}
                  pendingLabel="Creating…"
                >
                  {hooks.data.hasDeployHook ? "Replace hook URL" : "Create hook URL"}
                </Button>
                {hooks.data.hasDeployHook && (
                  <Button
                    variant="ghost"
                    onClick={() => removeHook.mutate({ serviceId })}
                    pending={removeHook.isPending}
                    pendingLabel="Removing…"
                  >
                    Remove
                  </Button>
                )}
              </div>
            )}
          </section>
          {failure && <ErrorAlert message={errorMessage(failure)} />}
          {isGit && (
            <section className="space-y-2">
              <h3 className="font-medium text-slate-900">Recent deliveries</h3>
              {hooks.data.deliveries.length === 0 ? (
                <p className="text-slate-500">None yet.</p>
              ) : (
                <table className="w-full text-left text-xs" data-testid="deliveries">
                  <thead className="text-slate-500">
                    <tr>
                      <th className="py-1 font-medium">When</th>
                      <th className="py-1 font-medium">From</th>
                      <th className="py-1 font-medium">Event</th>
                      <th className="py-1 font-medium">Commit</th>
                      <th className="py-1 font-medium">Outcome</th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {hooks.data.deliveries.map((d) => (
                      <tr key={d.id} data-testid="delivery-row">
                        <td className="py-1 pr-2 whitespace-nowrap">{formatDateTime(d.createdAt)}</td>
                        <td className="py-1 pr-2">{d.provider}</td>
                        <td className="py-1 pr-2">{d.event}</td>
                        <td className="py-1 pr-2 font-mono">{d.commitSha?.slice(0, 12) ?? "—"}</td>
                        <td className={`py-1 ${OUTCOME_STYLE[d.outcome] ?? ""}`}>
                          {d.outcome}
                          {d.reason && <span className="text-slate-500"> · {d.reason}</span>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          )}
        </div>
      )}
    </Panel>
  );
}
