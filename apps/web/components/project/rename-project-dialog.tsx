"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef, useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Dialog, type DialogHandle } from "../ui/dialog";
import { TextField } from "../ui/field";

/** "Rename" opens a dialog with the project's name and description. */
export function RenameProjectDialog({ project }: { project: { id: string; name: string; description: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const dialog = useRef<DialogHandle>(null);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const update = useMutation(
    trpc.projects.update.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId: project.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.projects.list.pathKey() }),
        ]);
        dialog.current?.close();
      },
    }),
  );
  const fields = fieldErrorsOf(update.error);
  const formError = formLevelMessage(update.error, (k) => k === "name" || k === "description");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ projectId: project.id, name: name.trim(), description: description.trim() });
  };
  return (
    <>
      <Button variant="secondary" onClick={() => dialog.current?.open()}>
        Rename
      </Button>
      <Dialog
        ref={dialog}
        title="Rename project"
        onOpen={() => {
          setName(project.name);
          setDescription(project.description);
          update.reset();
        }}
      >
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <TextField
            label="Project name"
            name="projectName"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={fields.name}
            autoComplete="off"
          />
          <TextField
            label="Description (optional)"
            name="projectDescription"
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            error={fields.description}
            autoComplete="off"
          />
          {formError && <ErrorAlert message={formError} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} disabled={update.isPending}>
              Cancel
            </Button>
            <Button type="submit" pending={update.isPending} pendingLabel="Saving…">
              Save
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
