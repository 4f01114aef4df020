"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { errorCode, errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { ErrorAlert } from "../ui/alert";
import { PageHeader, Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { InstanceFieldsForm } from "./instance-fields-form";
import { UsersPanel } from "./users-panel";
import { BuildSettings } from "./build-settings";
import { TlsSettings } from "./tls-settings";
import { ContainerDefaults } from "./container-defaults";
import { DashboardDomainSettings } from "./dashboard-domain-settings";

/** `/settings`: instance-wide settings, for the instance owner. */
export function InstanceSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const toggleId = useId();
  const settings = useQuery(trpc.instance.settings.queryOptions());
  // Set in the change handler itself, so the controlled checkbox never flips back while saving.
  const [pendingValue, setPendingValue] = useState<boolean | null>(null);
  const update = useMutation(
    trpc.instance.updateSettings.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.instance.settings.queryKey(), data);
        void queryClient.invalidateQueries({ queryKey: trpc.instance.settings.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.instance.signupStatus.queryKey() });
      },
      onSettled: () => setPendingValue(null),
    }),
  );

  const header = <PageHeader title="Settings" subtitle="These settings apply to the whole Berth instance." />;
  if (me.user.instanceRole !== "owner" || errorCode(settings.error) === "FORBIDDEN") {
    return (
      <div className="space-y-6">
        {header}
        <p className="text-sm text-slate-600">Only the owner of this Berth instance can change its settings.</p>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      {header}
      <Panel title="Sign-up">
        {settings.data === undefined ? (
          settings.isError ? (
            <QueryError error={settings.error} onRetry={() => void settings.refetch()} retrying={settings.isFetching} what="settings" />
          ) : (
            <Loading />
          )
        ) : (
          <div className="space-y-3">
            <div className="flex items-start gap-3">
              <input
                id={toggleId}
                type="checkbox"
                role="switch"
                className="mt-0.5 size-5 accent-indigo-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
                checked={pendingValue ?? settings.data.signupOpen}
                disabled={update.isPending}
                aria-describedby={`${toggleId}-hint`}
                onChange={(e) => {
                  setPendingValue(e.target.checked);
                  update.mutate({ signupOpen: e.target.checked });
                }}
              />
              <div>
                <label htmlFor={toggleId} className="text-sm font-medium text-slate-900">
                  Open sign-up
                </label>
                <p id={`${toggleId}-hint`} className="text-sm text-slate-600">
                  When on, anyone who can reach this instance can create an account. When off, only existing users can sign in.
                </p>
              </div>
            </div>
            {update.isPending && (
              <p role="status" className="text-sm text-slate-500">
                Saving…
              </p>
            )}
            {update.isSuccess && !update.isPending && (
              <p role="status" className="text-sm text-emerald-700">
                Saved. Sign-up is now {update.variables.signupOpen ? "open" : "closed"}.
              </p>
            )}
            {update.error && <ErrorAlert message={errorMessage(update.error)} onRetry={() => update.mutate(update.variables)} />}
          </div>
        )}
      </Panel>
      {settings.data && <InstanceFieldsForm key={settings.data.baseDomain} initial={settings.data} />}
      <DashboardDomainSettings />
      {settings.data && (
        <TlsSettings key={`${settings.data.tlsIssuer}:${settings.data.acmeEmail}:${settings.data.acmeStaging}`} initial={settings.data} />
      )}
      {settings.data && <ContainerDefaults initial={settings.data} />}
      <UsersPanel />
      <BuildSettings />
    </div>
  );
}
