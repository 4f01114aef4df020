"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";

/** The dashboard at its own domain over HTTPS (through the edge proxy); its links then use it. */
export function DashboardDomainSettings() {
  const trpc = useTRPC();
  const dashboard = useQuery(trpc.instance.dashboard.queryOptions());
  return (
    <Panel title="Dashboard domain">
      {dashboard.data === undefined ? (
        dashboard.isError ? (
          <QueryError
            error={dashboard.error}
            onRetry={() => void dashboard.refetch()}
            retrying={dashboard.isFetching}
            what="the dashboard domain"
          />
        ) : (
          <Loading />
        )
      ) : (
        <DashboardDomainForm view={dashboard.data} />
      )}
    </Panel>
  );
}

/** The field is filled once and then after each save with the stored (normalised) name, so a refetch never overwrites an edit. */
function DashboardDomainForm({ view }: { view: { domain: string; url: string; fromEnv: boolean; proxy: boolean } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [domain, setDomain] = useState(view.domain);
  const save = useMutation(
    trpc.instance.setDashboardDomain.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.instance.dashboard.queryKey(), data);
        setDomain(data.domain);
      },
    }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => k === "dashboardDomain");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ dashboardDomain: domain.trim() });
  };
  const hint = view.fromEnv
    ? "Set by BERTH_DASHBOARD_DOMAIN in the server's configuration: change it there and restart Berth."
    : "A hostname whose DNS points at this server, e.g. berth.example.com. Berth serves the dashboard there over HTTPS (certificate from the issuer below), redirects HTTP, and uses it in webhook, deploy hook and invitation links. Leave empty for none.";
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <TextField
        label="Dashboard domain"
        name="dashboardDomain"
        placeholder="berth.example.com"
        value={domain}
        onChange={(e) => setDomain(e.target.value)}
        readOnly={view.fromEnv}
        error={fields.dashboardDomain}
        hint={hint}
        autoComplete="off"
        spellCheck={false}
      />
      <p className="text-sm text-slate-600" data-testid="dashboard-url">
        The dashboard&apos;s links use <span className="font-mono">{view.url}</span>
      </p>
      {!view.proxy && view.domain && (
        <p role="status" className="rounded-md border border-warning-line bg-warning-soft px-3 py-2 text-sm text-warning-fg">
          The edge proxy is off (BERTH_PROXY_ADMIN=off): Berth trusts this domain, but nothing here serves it.
        </p>
      )}
      {formError && <ErrorAlert message={formError} />}
      {!view.fromEnv && (
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
            Save
          </Button>
          {save.isSuccess && !save.isPending && (
            <p role="status" className="text-sm text-emerald-700">
              Saved. The proxy applies it within a second.
            </p>
          )}
        </div>
      )}
    </form>
  );
}
