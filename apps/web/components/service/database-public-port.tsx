"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import type { ServiceDetail } from "@/lib/api-types";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { Button } from "../ui/button";
import { CheckboxField } from "../ui/checkbox-field";
import { ErrorAlert } from "../ui/alert";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { SelectField } from "../ui/select-field";

const BIND_OPTIONS = [
  { value: "127.0.0.1", label: "127.0.0.1 — this host only" },
  { value: "0.0.0.0", label: "0.0.0.0 — all interfaces (the internet)" },
];

/** Publish a database's port on the host (opt-in, admins): saved, then applied by a redeploy that keeps the volume. */
export function DatabasePublicPort({
  serviceId,
  current,
}: {
  serviceId: string;
  current: NonNullable<ServiceDetail["database"]>["publicPort"];
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [enabled, setEnabled] = useState(current !== null);
  const [hostPort, setHostPort] = useState(current ? String(current.hostPort) : "");
  const [bindAddress, setBindAddress] = useState<"127.0.0.1" | "0.0.0.0">(current?.bindAddress === "0.0.0.0" ? "0.0.0.0" : "127.0.0.1");
  const save = useMutation(
    trpc.databases.setPublicPort.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.services.get.queryKey({ serviceId: serviceId }) }),
    }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (key) => key === "hostPort" || key === "bindAddress");
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ serviceId: serviceId, enabled, hostPort: enabled ? hostPort.trim() : undefined, bindAddress });
  };

  return (
    <Panel title="Public access">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Public access">
        <CheckboxField
          label="Publish the database's port on this server"
          hint="Clients outside the project (your laptop, a BI tool) connect at the host's port. Saving redeploys the database; its data stays."
          checked={enabled}
          onChange={(e) => setEnabled(e.target.checked)}
        />
        {enabled && (
          <>
            <TextField
              label="Host port"
              name="hostPort"
              inputMode="numeric"
              value={hostPort}
              onChange={(e) => setHostPort(e.target.value)}
              error={fields.hostPort}
              hint="1024-65535, free on this server."
              autoComplete="off"
            />
            <SelectField
              label="Listen on"
              name="bindAddress"
              value={bindAddress}
              onChange={(e) => setBindAddress(e.target.value === "0.0.0.0" ? "0.0.0.0" : "127.0.0.1")}
              options={BIND_OPTIONS}
              error={fields.bindAddress}
            />
            {bindAddress === "0.0.0.0" && (
              <p
                role="note"
                className="rounded-md border border-danger-line bg-danger-soft px-4 py-3 text-sm text-danger-fg"
                data-testid="public-port-warning"
              >
                Anyone on the internet can then reach this database; only its password protects it. Prefer 127.0.0.1 with an SSH tunnel, or
                a firewall rule.
              </p>
            )}
          </>
        )}
        {formError && <ErrorAlert message={formError} />}
        <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
          Save and redeploy
        </Button>
      </form>
    </Panel>
  );
}
