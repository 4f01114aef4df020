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
  tlsIssuer: "internal" | "acme";
  acmeEmail: string;
  acmeStaging: boolean;
}

/** Where HTTPS certificates for custom domains come from: Caddy's internal CA or ACME. */
export function TlsSettings({ initial }: { initial: Values }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [values, setValues] = useState(initial);
  const save = useMutation(
    trpc.instance.updateSettings.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.instance.settings.queryKey() }),
    }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => k === "acmeEmail");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ ...values, acmeEmail: values.acmeEmail.trim() });
  };
  return (
    <Panel title="HTTPS certificates">
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">Issuer</legend>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="radio"
              name="tlsIssuer"
              checked={values.tlsIssuer === "internal"}
              onChange={() => setValues({ ...values, tlsIssuer: "internal" })}
            />
            Internal CA (local and test setups; browsers do not trust it)
          </label>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="radio"
              name="tlsIssuer"
              checked={values.tlsIssuer === "acme"}
              onChange={() => setValues({ ...values, tlsIssuer: "acme" })}
            />
            ACME (Let&apos;s Encrypt): public certificates, once DNS points here
          </label>
        </fieldset>
        <TextField
          label="ACME contact email (optional)"
          type="email"
          value={values.acmeEmail}
          onChange={(e) => setValues({ ...values, acmeEmail: e.target.value })}
          error={fields.acmeEmail}
          hint="Expiry notices from the certificate authority."
        />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input type="checkbox" checked={values.acmeStaging} onChange={(e) => setValues({ ...values, acmeStaging: e.target.checked })} />
          Use the staging endpoint (untrusted test certificates, generous rate limits)
        </label>
        {formError && <ErrorAlert message={formError} />}
        <div className="flex items-center gap-3">
          <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
            Save
          </Button>
          {save.isSuccess && !save.isPending && (
            <p role="status" className="text-sm text-emerald-700">
              Saved. The proxy applies it within a second.
            </p>
          )}
        </div>
      </form>
    </Panel>
  );
}
