"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import type { ServerItem } from "@/lib/api-types";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { StatusBadge } from "../ui/status-badge";
import { nodeStateView } from "./server-state";

type Node = NonNullable<ServerItem["node"]>;

/** A server's place in the cluster: role, node state, availability, labels; drain/activate and edit labels. */
export function ClusterNode({ server, node }: { server: ServerItem; node: Node }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
  const availability = useMutation(trpc.cluster.setAvailability.mutationOptions({ onSuccess: refresh }));
  const [editing, setEditing] = useState(false);
  const labels = Object.entries(node.labels);
  const draining = node.availability === "drain";
  return (
    <div className="space-y-2 rounded-md border border-line px-3 py-2" data-testid="cluster-node">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-fg">
          <span className="font-medium" data-testid="node-role">
            {node.role === "manager" ? "Manager" : "Worker"}
          </span>{" "}
          node <span className="font-mono text-xs text-fg-subtle">{node.id.slice(0, 12)}</span> · availability{" "}
          <span data-testid="node-availability">{node.availability ?? "unknown"}</span>
        </p>
        <div className="flex items-center gap-2">
          <StatusBadge status={nodeStateView(node.state)} testId="node-state" />
          <Button
            variant="secondary"
            pending={availability.isPending}
            pendingLabel="Saving…"
            onClick={() => availability.mutate({ serverId: server.id, availability: draining ? "active" : "drain" })}
          >
            {draining ? "Activate" : "Drain"}
          </Button>
          <Button variant="secondary" onClick={() => setEditing((e) => !e)}>
            {editing ? "Close labels" : "Edit labels"}
          </Button>
        </div>
      </div>
      <p className="text-xs text-fg-subtle" data-testid="node-labels">
        {labels.length === 0 ? "No labels" : labels.map(([k, v]) => `${k}=${v}`).join(" · ")}
      </p>
      {availability.error && <ErrorAlert message={errorMessage(availability.error)} />}
      {editing && <LabelsEditor serverId={server.id} initial={labels} onSaved={() => setEditing(false)} />}
    </div>
  );
}

function LabelsEditor({ serverId, initial, onSaved }: { serverId: string; initial: [string, string][]; onSaved: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState(initial.length > 0 ? initial.map(([key, value]) => ({ key, value })) : [{ key: "", value: "" }]);
  const save = useMutation(
    trpc.cluster.setLabels.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
        onSaved();
      },
    }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => /^labels\.\d+\.(key|value)$/.test(k));
  const set = (i: number, field: "key" | "value", value: string) =>
    setRows((old) => old.map((row, j) => (j === i ? { ...row, [field]: value } : row)));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // An empty row is no label (the way to remove one is to clear it).
    save.mutate({ serverId, labels: rows.filter((r) => r.key.trim() !== "" || r.value.trim() !== "") });
  };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Node labels">
      {rows.map((row, i) => (
        <div key={i} className="grid gap-3 sm:grid-cols-2">
          <TextField
            label={`Label ${i + 1} key`}
            name={`labels.${i}.key`}
            placeholder="zone"
            value={row.key}
            onChange={(e) => set(i, "key", e.target.value)}
            error={fields[`labels.${i}.key`]}
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            label={`Label ${i + 1} value`}
            name={`labels.${i}.value`}
            placeholder="east"
            value={row.value}
            onChange={(e) => set(i, "value", e.target.value)}
            error={fields[`labels.${i}.value`]}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
      ))}
      {formError && <ErrorAlert message={formError} />}
      <div className="flex gap-2">
        <Button type="button" variant="secondary" onClick={() => setRows((old) => [...old, { key: "", value: "" }])}>
          Add a label
        </Button>
        <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
          Save labels
        </Button>
      </div>
    </form>
  );
}
