"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";

interface Values {
  signupOpen: boolean;
  baseDomain: string;
}

/** The base domain services get hostnames under (build settings have their own panel). */
export function InstanceFieldsForm({ initial }: { initial: Values }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [baseDomain, setBaseDomain] = useState(initial.baseDomain);
  const save = useMutation(
    trpc.instance.updateSettings.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.instance.settings.queryKey() }),
    }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => k === "baseDomain");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ baseDomain: baseDomain.trim() });
  };
  return (
    <Panel title="Platform">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <TextField
          label="Base domain"
          name="baseDomain"
          placeholder="apps.example.com"
          value={baseDomain}
          onChange={(e) => setBaseDomain(e.target.value)}
          error={fields.baseDomain}
          hint="Services get hostnames under this domain. Leave empty if not set up."
        />
        {formError && <ErrorAlert message={formError} />}
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
            Save
          </Button>
          {save.isSuccess && !save.isPending && (
            <p role="status" className="text-sm text-emerald-700">
              Saved.
            </p>
          )}
        </div>
      </form>
    </Panel>
  );
}
