"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { Deployment } from "@/lib/api-types";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Panel } from "../ui/page-header";
import { BuildLogPanel } from "./build-log-panel";
import { DeploymentTable } from "./deployment-table";

/** History with cancel / roll back, and the log of the selected deployment (default: newest). */
export function DeploymentHistory({ serviceId, deployments, canChange }: { serviceId: string; deployments: Deployment[]; canChange: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.deployments.list.queryKey({ serviceId }) }),
      queryClient.invalidateQueries({ queryKey: trpc.services.get.queryKey({ serviceId }) }),
    ]);
  const handlers = { onMutate: () => setError(null), onSuccess: () => refresh(), onError: (err: unknown) => setError(errorMessage(err)) };
  const cancel = useMutation(trpc.deployments.cancel.mutationOptions(handlers));
  const rollback = useMutation(
    trpc.deployments.rollback.mutationOptions({ ...handlers, onSuccess: ({ deploymentId }) => (setPicked(deploymentId), refresh()) }),
  );
  const selected = deployments.find((d) => d.id === picked) ?? deployments[0] ?? null;
  const busy = cancel.isPending || rollback.isPending;

  return (
    <>
      <Panel title="Deployments">
        {error && <ErrorAlert message={error} />}
        <DeploymentTable
          deployments={deployments}
          actions={{
            selectedId: selected?.id ?? null,
            onSelect: setPicked,
            busy,
            ...(canChange
              ? {
                  onCancel: (deploymentId: string) => cancel.mutate({ deploymentId }),
                  onRollback: (releaseId: string) => rollback.mutate({ releaseId }),
                }
              : {}),
          }}
        />
      </Panel>
      <BuildLogPanel key={selected?.id ?? "none"} deployment={selected} />
    </>
  );
}
