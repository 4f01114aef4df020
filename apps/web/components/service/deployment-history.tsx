"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import type { Deployment } from "@/lib/api-types";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Panel } from "../ui/page-header";
import { BuildLogPanel } from "./build-log-panel";
import { DeploymentTable } from "./deployment-table";

/** History with cancel / roll back, and the log of the selected deployment (default: newest). */
export function DeploymentHistory({
  serviceId,
  deployments,
  canChange,
  builds,
}: {
  serviceId: string;
  deployments: Deployment[];
  canChange: boolean;
  builds: boolean;
}) {
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
  // Rolling back replaces what serves traffic: it is asked for first.
  const confirmRef = useRef<HTMLDialogElement>(null);
  const confirmTitle = useId();
  const [asked, setAsked] = useState<{ releaseId: string; number: number } | null>(null);
  const askRollback = (releaseId: string, number: number) => {
    setAsked({ releaseId, number });
    confirmRef.current?.showModal();
  };
  const confirmRollback = () => {
    if (asked) rollback.mutate({ releaseId: asked.releaseId });
    confirmRef.current?.close();
  };
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
                  onRollback: askRollback,
                }
              : {}),
          }}
        />
      </Panel>
      <dialog
        ref={confirmRef}
        aria-labelledby={confirmTitle}
        className="m-auto w-full max-w-md rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-slate-900/40"
        data-testid="rollback-confirm"
      >
        <div className="space-y-4 p-6">
          <h2 id={confirmTitle} className="text-lg font-semibold text-slate-900">
            Roll back to release #{asked?.number}?
          </h2>
          <p className="text-sm text-slate-600">
            A new deployment starts release #{asked?.number}&apos;s image and configuration; once it is healthy it replaces what serves
            traffic now.
          </p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => confirmRef.current?.close()}>
              Cancel
            </Button>
            <Button onClick={confirmRollback}>Roll back</Button>
          </div>
        </div>
      </dialog>
      <BuildLogPanel key={selected?.id ?? "none"} deployment={selected} builds={builds} />
    </>
  );
}
