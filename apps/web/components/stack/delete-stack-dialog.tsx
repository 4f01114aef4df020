"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useRef, useState, type FormEvent } from "react";
import { errorMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/checkbox-field";
import { Dialog, type DialogHandle } from "../ui/dialog";
import { TextField } from "../ui/field";

/** Delete the whole stack: its services and containers; volumes only when the box is ticked. */
export function DeleteStackDialog({ stack }: { stack: { id: string; name: string; projectId: string; services: { name: string }[] } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const dialog = useRef<DialogHandle>(null);
  const [typed, setTyped] = useState("");
  const [deleteVolumes, setDeleteVolumes] = useState(false);
  const remove = useMutation(
    trpc.stacks.delete.mutationOptions({
      onSuccess: () => {
        router.replace(`/projects/${stack.projectId}`);
        void queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId: stack.projectId }) });
      },
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (typed === stack.name) remove.mutate({ stackId: stack.id, deleteVolumes });
  };
  return (
    <>
      <Button variant="danger" onClick={() => dialog.current?.open()}>
        Delete stack
      </Button>
      <Dialog ref={dialog} title={`Delete ${stack.name}?`} onOpen={() => (setTyped(""), setDeleteVolumes(false), remove.reset())}>
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <p className="text-sm text-fg-muted">
            Removes its services ({stack.services.map((s) => s.name).join(", ")}): their containers, history, variables and domains. Their
            volumes are kept with their data unless you tick the box.
          </p>
          <CheckboxField
            label="Also delete the services' volumes and their data"
            name="deleteVolumes"
            checked={deleteVolumes}
            onChange={(e) => setDeleteVolumes(e.target.checked)}
          />
          <TextField
            label={`Type ${stack.name} to confirm`}
            name="confirm"
            autoComplete="off"
            spellCheck={false}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          {remove.error && <ErrorAlert message={errorMessage(remove.error)} />}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="danger"
              disabled={typed !== stack.name}
              pending={remove.isPending || remove.isSuccess}
              pendingLabel="Deleting…"
            >
              Delete stack
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
