"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/checkbox-field";
import { Dialog, type DialogHandle } from "../ui/dialog";
import { TextField } from "../ui/field";

export interface DeleteProjectDialogProps {
  project: { id: string; name: string; services: { name: string }[] };
  volumes: { name: string }[];
}

/**
 * Deletes a project with its services after the name is typed. Says what goes; its volumes
 * (and their data) go only when the box is ticked, otherwise they stay as Docker volumes.
 */
export function DeleteProjectDialog({ project, volumes }: DeleteProjectDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dialog = useRef<DialogHandle>(null);
  const [typed, setTyped] = useState("");
  const [deleteVolumes, setDeleteVolumes] = useState(false);
  const remove = useMutation(
    trpc.projects.delete.mutationOptions({
      onSuccess: async () => {
        router.replace("/");
        await queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() });
      },
    }),
  );
  const matches = typed.trim() === project.name;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (matches) remove.mutate({ projectId: project.id, confirmName: typed.trim(), deleteVolumes: deleteVolumes && volumes.length > 0 });
  };
  const confirmError = fieldErrorsOf(remove.error).confirmName;
  const n = volumes.length;
  return (
    <>
      <Button variant="danger" onClick={() => dialog.current?.open()}>
        Delete project
      </Button>
      <Dialog
        ref={dialog}
        title={`Delete ${project.name}?`}
        onOpen={() => {
          setTyped("");
          setDeleteVolumes(false);
          remove.reset();
        }}
      >
        <form onSubmit={onSubmit} noValidate className="space-y-4 text-sm">
          <div className="space-y-2 text-fg-muted" data-testid="delete-project-losses">
            <p>This cannot be undone. It removes the project&apos;s variables, notification channels and network, and:</p>
            {project.services.length === 0 ? (
              <p>No services.</p>
            ) : (
              <p>
                {project.services.length === 1 ? "Its service" : `Its ${project.services.length} services`}, with their containers,
                deployments, domains and webhooks:{" "}
                <span className="font-medium text-fg">{project.services.map((s) => s.name).join(", ")}</span>.
              </p>
            )}
            {n > 0 && (
              <p>
                Volumes: <span className="font-medium text-fg">{volumes.map((v) => v.name).join(", ")}</span>.{" "}
                {deleteVolumes
                  ? "Their data is deleted too."
                  : "They are kept with their data (as Docker volumes) unless you tick the box."}
              </p>
            )}
          </div>
          {n > 0 && (
            <CheckboxField
              label={`Also delete ${n === 1 ? "1 volume" : `${n} volumes`} and their data`}
              name="deleteVolumes"
              checked={deleteVolumes}
              onChange={(e) => setDeleteVolumes(e.target.checked)}
            />
          )}
          <TextField
            label={`Type ${project.name} to confirm`}
            name="confirmProject"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            error={confirmError}
          />
          {remove.error && !confirmError && <ErrorAlert message={errorMessage(remove.error)} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="danger"
              disabled={!matches}
              pending={remove.isPending || remove.isSuccess}
              pendingLabel="Deleting…"
            >
              Delete project
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
