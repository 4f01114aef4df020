"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent } from "react";
import type { ServiceDetail } from "@/lib/api-types";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { CheckboxField } from "../ui/checkbox-field";

/**
 * "Delete" opens a modal that says what is lost and asks for the service name. Its volumes
 * are kept (detached) unless the box to delete them too is ticked.
 */
export function DeleteServiceDialog({ service, disabled }: { service: ServiceDetail; disabled: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [typed, setTyped] = useState("");
  const [deleteVolumes, setDeleteVolumes] = useState(false);
  const volumes = service.settings.volumes;
  const remove = useMutation(
    trpc.services.delete.mutationOptions({
      onSuccess: () => {
        router.replace(`/projects/${service.projectId}`);
        void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId: service.projectId }) });
      },
    }),
  );

  const open = () => {
    setTyped("");
    setDeleteVolumes(false);
    remove.reset();
    dialogRef.current?.showModal();
  };
  const close = () => dialogRef.current?.close();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (typed === service.name) remove.mutate({ serviceId: service.id, deleteVolumes: deleteVolumes && volumes.length > 0 });
  };

  return (
    <>
      <Button variant="danger" onClick={open} disabled={disabled}>
        Delete
      </Button>
      <dialog
        ref={dialogRef}
        aria-labelledby={titleId}
        className="m-auto w-full max-w-md rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-slate-900/40"
      >
        <form onSubmit={onSubmit} noValidate className="space-y-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            Delete {service.name}?
          </h2>
          <div className="space-y-2 text-sm text-fg-muted">
            <p>This cannot be undone. It removes:</p>
            <ul className="list-disc space-y-0.5 pl-5" data-testid="delete-service-losses">
              <li>its containers (the service stops answering)</li>
              <li>its deployment history, releases and build images</li>
              <li>its variables{service.kind === "web" ? ", domains" : ""} and webhooks</li>
            </ul>
          </div>
          {volumes.length > 0 && (
            <div className="space-y-2 rounded-md border border-line p-3 text-sm">
              <p className="text-fg-muted">
                Volumes: {volumes.map((v) => v.name).join(", ")}.{" "}
                {deleteVolumes
                  ? "Their data is deleted with the service."
                  : "They are kept, detached with their data, and listed on the project page."}
              </p>
              <CheckboxField
                label={`Also delete ${volumes.length === 1 ? "its volume" : `its ${volumes.length} volumes`} and their data`}
                name="deleteVolumes"
                checked={deleteVolumes}
                onChange={(e) => setDeleteVolumes(e.target.checked)}
              />
            </div>
          )}
          <TextField
            label={`Type ${service.name} to confirm`}
            name="confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          {remove.error && <ErrorAlert message={errorMessage(remove.error)} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="danger"
              disabled={typed !== service.name}
              pending={remove.isPending || remove.isSuccess}
              pendingLabel="Deleting…"
            >
              Delete service
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
