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

/** "Delete" opens a modal that asks for the service name before removing it for good. */
export function DeleteServiceDialog({ service, disabled }: { service: ServiceDetail; disabled: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dialogRef = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [typed, setTyped] = useState("");
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
    remove.reset();
    dialogRef.current?.showModal();
  };
  const close = () => dialogRef.current?.close();
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (typed === service.name) remove.mutate({ serviceId: service.id });
  };

  return (
    <>
      <Button variant="danger" onClick={open} disabled={disabled}>
        Delete
      </Button>
      <dialog ref={dialogRef} aria-labelledby={titleId} className="m-auto w-full max-w-md rounded-lg border border-line bg-surface p-0 text-fg shadow-xl backdrop:bg-slate-900/40">
        <form onSubmit={onSubmit} noValidate className="space-y-4 p-6">
          <h2 id={titleId} className="text-lg font-semibold text-slate-900">
            Delete {service.name}?
          </h2>
          <p className="text-sm text-slate-600">This stops and removes its containers and deletes its deployment history. It cannot be undone.</p>
          <TextField label={`Type ${service.name} to confirm`} name="confirm" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} />
          {remove.error && <ErrorAlert message={errorMessage(remove.error)} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={close} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={typed !== service.name} pending={remove.isPending || remove.isSuccess} pendingLabel="Deleting…">
              Delete service
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
