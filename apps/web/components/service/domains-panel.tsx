"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { AddDomainForm } from "./add-domain-form";
import { DomainOptions } from "./domain-options";
import { certificateSentence, dnsSentence } from "./domain-status";

/** The service's domains: URL, the DNS record to create, a live DNS and certificate check, options. */
export function DomainsPanel({ serviceId, canChange }: { serviceId: string; canChange: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery(trpc.domains.list.queryOptions({ serviceId }));
  const checks = useQuery({ ...trpc.domains.check.queryOptions({ serviceId }), refetchInterval: 15_000 });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.domains.list.queryKey({ serviceId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.domains.check.queryKey({ serviceId }) }),
    ]);
  const remove = useMutation(trpc.domains.remove.mutationOptions({ onSuccess: () => refresh() }));

  if (!list.data) {
    return (
      <Panel title="Domains">
        {list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} what="domains" />
        ) : (
          <Loading label="Loading domains…" />
        )}
      </Panel>
    );
  }
  const proxy = checks.data?.proxy;
  return (
    <Panel
      title="Domains"
      actions={
        <Button variant="secondary" onClick={() => void checks.refetch()} pending={checks.isFetching} pendingLabel="Checking…">
          Check DNS
        </Button>
      }
    >
      <div className="space-y-4">
        {proxy?.state === "down" && (
          <div
            role="alert"
            data-testid="proxy-down"
            className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          >
            The edge proxy is down{proxy.error ? ` (${proxy.error})` : ""}. Domains do not answer until it is back; Berth restores every
            route then.
          </div>
        )}
        {list.data.length === 0 && <p className="text-sm text-slate-600">No domains yet. Add one below.</p>}
        <ul className="divide-y divide-slate-100" data-testid="domain-list">
          {list.data.map((d) => {
            const check = checks.data?.domains.find((c) => c.id === d.id);
            return (
              <li key={d.id} className="space-y-2 py-3" data-testid="domain-row">
                <div className="flex flex-wrap items-center gap-2">
                  <a
                    href={d.url}
                    target="_blank"
                    rel="noreferrer"
                    className="font-mono text-sm font-medium text-indigo-700 hover:underline"
                  >
                    {d.hostname}
                    {d.pathPrefix}
                  </a>
                  {d.isDefault && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">default</span>}
                  {d.redirectTwin && <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">www/apex redirect</span>}
                  {d.basicAuthUser && (
                    <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">password: {d.basicAuthUser}</span>
                  )}
                  {d.ipAllowList.length > 0 && (
                    <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600">
                      {d.ipAllowList.length} allowed range(s)
                    </span>
                  )}
                  {canChange && (
                    <span className="ml-auto flex gap-2">
                      <Button variant="secondary" onClick={() => setOpen(open === d.id ? null : d.id)} aria-expanded={open === d.id}>
                        Options
                      </Button>
                      <Button
                        variant="secondary"
                        onClick={() => remove.mutate({ serviceId, domainId: d.id })}
                        disabled={remove.isPending}
                        aria-label={`Remove ${d.hostname}${d.pathPrefix}`}
                      >
                        Remove
                      </Button>
                    </span>
                  )}
                </div>
                <p className="text-xs text-slate-600" data-testid="dns-record">
                  DNS record:{" "}
                  <span className="font-mono">
                    {d.dnsRecord.type} {d.dnsRecord.name} → {d.dnsRecord.value}
                  </span>
                </p>
                <p className="text-xs text-slate-600" data-testid="dns-check">
                  {dnsSentence(check?.dns, d.dnsRecord.value)}
                </p>
                <p className="text-xs text-slate-600" data-testid="certificate-status">
                  {certificateSentence(check?.certificate, d.customCertificate?.notAfter)}
                </p>
                {canChange && open === d.id && <DomainOptions serviceId={serviceId} domain={d} onChanged={refresh} />}
              </li>
            );
          })}
        </ul>
        {remove.error && <ErrorAlert message={errorMessage(remove.error)} />}
        {canChange && <AddDomainForm serviceId={serviceId} onAdded={refresh} />}
      </div>
    </Panel>
  );
}
