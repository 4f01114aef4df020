"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import type { ServiceDetail } from "@/lib/api-types";
import { errorMessage } from "@/lib/errors";
import { tabHref } from "@/lib/service-tabs";
import { deploymentStatus, isDeploymentActive } from "@/lib/status";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";

/** A deployment in progress, seen from another tab: its stage and a link to its live log. */
export function ActiveDeploymentNotice({ service }: { service: ServiceDetail }) {
  const latest = service.latestDeployment;
  if (!latest || !isDeploymentActive(latest.status)) return null;
  return (
    <div
      role="status"
      data-testid="active-deployment"
      className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-sky-200 bg-sky-50 px-4 py-2 text-sm text-sky-900"
    >
      <p>
        Deployment <span className="font-mono">{latest.id.slice(0, 8)}</span>: {deploymentStatus(latest.status).label.toLowerCase()}…
      </p>
      <IntentLink
        href={tabHref(service.id, "deployments")}
        scroll={false}
        className="font-medium underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-focus"
      >
        Watch the live log
      </IntentLink>
    </div>
  );
}

/** Saved settings the live release does not run yet, by name, with a Deploy button. */
export function PendingChangesNotice({ service, onDeployed }: { service: ServiceDetail; onDeployed: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const deploy = useMutation(
    trpc.services.deploy.mutationOptions({
      onSuccess: async () => {
        onDeployed();
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.services.get.queryKey({ serviceId: service.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey({ serviceId: service.id }) }),
        ]);
      },
    }),
  );
  if (service.pendingChanges.length === 0 || isDeploymentActive(service.latestDeployment?.status)) return null;
  return (
    <section
      aria-label="Pending changes"
      data-testid="pending-changes"
      className="space-y-2 rounded-md border border-warning-line bg-warning-soft px-4 py-3 text-sm text-warning-fg"
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p>
          <span className="font-medium">Pending changes</span>, saved but not running yet: {service.pendingChanges.join(", ")}. Deploy to
          apply them.
        </p>
        <Button onClick={() => deploy.mutate({ serviceId: service.id })} pending={deploy.isPending} pendingLabel="Queuing…">
          Deploy changes
        </Button>
      </div>
      {deploy.error && <ErrorAlert message={errorMessage(deploy.error)} />}
    </section>
  );
}
