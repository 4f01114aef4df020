"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { DATABASE_ENGINES, engineInfo, type DatabaseEngineName as Engine } from "@/lib/database-engines";
import { tabHref } from "@/lib/service-tabs";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { SelectField } from "../ui/select-field";

/** A database in one step: a TCP service with a volume and a generated password, deployed at once; then its page. */
export function NewDatabaseForm({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [name, setName] = useState("db");
  const [engine, setEngine] = useState<Engine>("postgresql");
  const [image, setImage] = useState("");
  const create = useMutation(
    trpc.databases.create.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.projects.get.queryKey({ projectId }) });
        router.push(tabHref(id, "deployments"));
      },
    }),
  );
  const fields = fieldErrorsOf(create.error);
  const formError = formLevelMessage(create.error, (key) => key === "name" || key === "engine" || key === "image");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ projectId, name: name.trim(), engine, image: image.trim(), deploy: true });
  };
  const info = engineInfo(engine);

  return (
    <Panel title="New database" className="self-start">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="New database">
        <p className="text-sm text-slate-600">
          A service with a volume for its data and a generated password. Other services of the project connect with{" "}
          <code className="rounded bg-surface-muted px-1 font-mono text-fg">{`\${{${name.trim() || "db"}.${info?.urlVariable ?? "DATABASE_URL"}}}`}</code>{" "}
          as a variable.
        </p>
        <TextField
          label="Database name"
          name="name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={fields.name}
          hint="Its name on the project network, e.g. db."
          autoComplete="off"
          spellCheck={false}
        />
        <SelectField
          label="Engine"
          name="engine"
          value={engine}
          onChange={(e) => setEngine(e.target.value as Engine)}
          options={DATABASE_ENGINES}
          error={fields.engine}
        />
        <TextField
          label="Image (optional)"
          name="image"
          value={image}
          onChange={(e) => setImage(e.target.value)}
          error={fields.image}
          hint={`Default: ${info?.image ?? ""} (the official image); name another tag or image for another version.`}
          autoComplete="off"
          spellCheck={false}
        />
        {formError && <ErrorAlert message={formError} />}
        <Button type="submit" pending={create.isPending || create.isSuccess} pendingLabel="Creating…">
          Create database
        </Button>
      </form>
    </Panel>
  );
}
