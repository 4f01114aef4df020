"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";

export function NewProjectForm({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.projects.list.queryKey({ teamId }) });
        router.push(`/projects/${id}`);
      },
    }),
  );
  const fields = fieldErrorsOf(create.error);
  const formError = formLevelMessage(create.error, (key) => key === "name" || key === "description");

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ teamId, name: name.trim(), description: description.trim() || undefined });
  };

  return (
    <Panel title="New project" className="self-start">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <TextField
          label="Project name"
          name="name"
          required
          hint="Up to 64 characters."
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
        />
        <TextField
          label="Description (optional)"
          name="description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
          error={fields.description}
        />
        {formError && <ErrorAlert message={formError} />}
        <Button type="submit" pending={create.isPending || create.isSuccess} pendingLabel="Creating…">
          Create project
        </Button>
      </form>
    </Panel>
  );
}
