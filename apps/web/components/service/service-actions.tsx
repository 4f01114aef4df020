"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ServiceDetail } from "@/lib/api-types";
import { errorMessage } from "@/lib/errors";
import { isDeploymentActive } from "@/lib/status";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { DeleteServiceDialog } from "./delete-service-dialog";

/**
 * Deploy / Stop / Start / Delete, each disabled while it makes no sense or a request runs.
 * `onDeployed` runs once a deploy is queued (the page opens the Deployments tab and its live log).
 */
export function ServiceActions({ service, onDeployed }: { service: ServiceDetail; onDeployed?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const [actionError, setActionError] = useState<string | null>(null);
  const serviceId = service.id;
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.services.get.queryKey({ serviceId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey({ serviceId }) }),
    ]);
  const handlers = {
    onMutate: () => setActionError(null),
    // On success the button stays busy until the new state is on screen; a failure frees it at once.
    onSuccess: () => refresh(),
    onError: (err: unknown) => {
      setActionError(errorMessage(err));
      void refresh();
    },
  };
  const deploy = useMutation(trpc.services.deploy.mutationOptions({ ...handlers, onSuccess: () => (onDeployed?.(), refresh()) }));
  const stop = useMutation(trpc.services.stop.mutationOptions(handlers));
  const start = useMutation(trpc.services.start.mutationOptions(handlers));

  if (me.teams.find((t) => t.id === service.teamId)?.role === "viewer") {
    return <p className="text-sm text-slate-600">You are a viewer in this team: you can watch this service but not change it.</p>;
  }
  const busy = deploy.isPending || stop.isPending || start.isPending;
  const deploying = isDeploymentActive(service.latestDeployment?.status);
  const containerUp = service.status.containerUp;
  const stopped = (service.desiredState === "stopped" || !service.latestDeployment) && !containerUp;
  // Why Start would do nothing (no container to start, already up), from the server's one status.
  const startBlocked = deploying ? "A deployment is in progress" : service.status.startBlocked;

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-2">
        <Button onClick={() => deploy.mutate({ serviceId })} pending={deploy.isPending} pendingLabel="Queuing…" disabled={busy}>
          Deploy
        </Button>
        <Button
          variant="secondary"
          onClick={() => stop.mutate({ serviceId })}
          pending={stop.isPending}
          pendingLabel="Stopping…"
          disabled={busy || stopped}
        >
          Stop
        </Button>
        <Button
          variant="secondary"
          onClick={() => start.mutate({ serviceId })}
          pending={start.isPending}
          pendingLabel="Starting…"
          disabled={busy || startBlocked !== null}
          title={startBlocked ?? undefined}
          aria-describedby={startBlocked && !containerUp ? "start-blocked" : undefined}
          data-testid="start-service"
        >
          Start
        </Button>
        <div className="ml-auto">
          <DeleteServiceDialog service={service} disabled={busy} />
        </div>
      </div>
      {startBlocked && !containerUp && !deploying && (
        <p id="start-blocked" className="text-sm text-slate-600" data-testid="start-blocked">
          Start: {startBlocked}.
        </p>
      )}
      {actionError && <ErrorAlert message={actionError} />}
    </div>
  );
}
