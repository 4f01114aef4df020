"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";

/** Hostname, optional path prefix and the www/apex redirect; errors at their field. */
export function AddDomainForm({ serviceId, onAdded }: { serviceId: string; onAdded: () => Promise<unknown> }) {
  const trpc = useTRPC();
  const [hostname, setHostname] = useState("");
  const [pathPrefix, setPathPrefix] = useState("");
  const [redirectTwin, setRedirectTwin] = useState(false);
  const add = useMutation(
    trpc.domains.add.mutationOptions({
      onSuccess: async () => {
        setHostname("");
        setPathPrefix("");
        setRedirectTwin(false);
        await onAdded();
      },
    }),
  );
  const fields = fieldErrorsOf(add.error);
  const formError = formLevelMessage(add.error, (key) => ["hostname", "pathPrefix", "redirectTwin"].includes(key));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ serviceId, hostname: hostname.trim(), pathPrefix: pathPrefix.trim() || undefined, redirectTwin });
  };
  return (
    <form onSubmit={submit} noValidate className="space-y-3 border-t border-slate-200 pt-4" aria-label="Add a domain">
      <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
        <TextField
          label="Domain"
          name="hostname"
          placeholder="app.example.com"
          value={hostname}
          onChange={(e) => setHostname(e.target.value)}
          error={fields.hostname}
        />
        <TextField
          label="Path prefix (optional)"
          name="pathPrefix"
          placeholder="/api"
          value={pathPrefix}
          onChange={(e) => setPathPrefix(e.target.value)}
          error={fields.pathPrefix}
        />
      </div>
      <label className="flex items-center gap-2 text-sm text-slate-700">
        <input type="checkbox" checked={redirectTwin} onChange={(e) => setRedirectTwin(e.target.checked)} />
        Also redirect the www/apex twin here (www.example.com ↔ example.com)
      </label>
      {fields.redirectTwin && <p className="text-sm text-red-700">{fields.redirectTwin}</p>}
      {formError && <ErrorAlert message={formError} />}
      <Button type="submit" pending={add.isPending} pendingLabel="Adding…">
        Add domain
      </Button>
    </form>
  );
}
