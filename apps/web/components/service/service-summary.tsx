"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useTRPC } from "@/lib/trpc";
import type { ServiceDetail } from "@/lib/api-types";
import { liveStatusView } from "@/lib/status";
import { StatusBadge } from "../ui/status-badge";

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 truncate text-sm text-slate-900">{children}</dd>
    </div>
  );
}

/** Status, public URL and configuration of a service at a glance. */
export function ServiceSummary({ service }: { service: ServiceDetail }) {
  // Derived on the server, the same for the overview and the project page.
  const status = liveStatusView(service.status.status);
  const latest = service.latestDeployment;
  const up = service.status.containerUp;
  // The link for everyone: the default domain through the edge proxy (base domain, or the public
  // IP's sslip.io name over plain HTTP). The loopback port is a detail for this host only.
  const trpc = useTRPC();
  const domains = useQuery(trpc.domains.list.queryOptions({ serviceId: service.id }));
  // A *.localhost default reaches only this host: there the loopback port is the better link.
  const remote = domains.data?.find((d) => d.isDefault && d.hostname !== "localhost" && !d.hostname.endsWith(".localhost"));
  const publicUrl = up ? (remote?.url ?? null) : null;
  const localUrl = up && service.runtime.state === "running" ? service.runtime.url : null;
  const url = publicUrl ?? localUrl;
  return (
    <section aria-label="Service overview" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 shadow-xs">
      <dl className="grid gap-5 sm:grid-cols-2 lg:grid-cols-4">
        <Item label="Status">
          <StatusBadge status={status} testId="service-status" />
        </Item>
        <Item label="URL">
          {url ? (
            <a
              href={url}
              target="_blank"
              rel="noreferrer"
              data-testid="service-url"
              className="font-mono text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-600"
            >
              {url}
            </a>
          ) : (
            <span className="text-slate-500">{up ? "No published URL" : "Not running"}</span>
          )}
          {publicUrl && localUrl && (
            <span className="mt-1 block text-xs text-slate-500" data-testid="service-local-url">
              On this host: <span className="font-mono">{localUrl}</span>
            </span>
          )}
        </Item>
        <Item label="Container port">{service.containerPort ?? <span className="text-slate-500">None (worker)</span>}</Item>
        <Item label="Environment">
          {service.env.length === 0 ? (
            <span className="text-slate-500">None</span>
          ) : (
            <span className="font-mono text-xs" title={service.env.map((v) => v.key).join(", ")}>
              {service.env.map((v) => v.key).join(", ")}
            </span>
          )}
        </Item>
      </dl>
      {service.source.type === "git" && (
        <p className="text-sm text-slate-700" data-testid="service-source">
          Builds <span className="font-mono">{service.source.dockerfilePath}</span> from{" "}
          <span className="font-mono">{service.source.url}</span>, branch <span className="font-mono">{service.source.branch}</span>
          {service.source.commit && (
            <>
              {" "}
              pinned at <span className="font-mono">{service.source.commit.slice(0, 12)}</span>
            </>
          )}
          {service.source.hasToken && " (private: access token stored)"}.
        </p>
      )}
      {service.source.type === "git" && service.source.deployKeyPublic && (
        <div className="space-y-1">
          <p className="text-sm text-slate-700">Add this deploy key (read-only) to the repository:</p>
          <pre className="overflow-x-auto rounded-md bg-slate-100 px-3 py-2 font-mono text-xs" data-testid="deploy-key">
            {service.source.deployKeyPublic}
          </pre>
        </div>
      )}
      {service.runtime.error && (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {service.runtime.error}
        </p>
      )}
      {(latest?.status === "failed" || latest?.status === "timed_out") && latest.error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm whitespace-pre-wrap text-red-800" data-testid="service-failure">
          {latest.status === "timed_out" ? "The last deployment timed out" : "The last deployment failed"}: {latest.error}
        </p>
      )}
    </section>
  );
}
