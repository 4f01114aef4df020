"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import type { ServerItem } from "@/lib/api-types";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { SelectField } from "../ui/select-field";

const SHOWN_AT_FIELD = new Set(["serverId", "advertiseAddress", "role"]);
const ROLES = [
  { value: "worker", label: "Worker (runs tasks)" },
  { value: "manager", label: "Manager (also keeps the swarm's state; use an odd number)" },
] as const;

/**
 * Cluster mode: off, "Create cluster" on a chosen server; on, "Add to cluster" for the others.
 * Berth runs the swarm calls through each server's engine connection; nothing to copy.
 */
export function ClusterForm({ servers }: { servers: ServerItem[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // Refreshed like the server list: the periodic check records the swarm's control state.
  const cluster = useQuery({ ...trpc.cluster.get.queryOptions(), refetchInterval: 15_000 });
  const candidates = servers.filter((s) => s.node === null);
  const [serverId, setServerId] = useState("");
  const [role, setRole] = useState<"worker" | "manager">("worker");
  const [advertiseAddress, setAdvertiseAddress] = useState("");
  const refresh = () => {
    setAdvertiseAddress("");
    setServerId("");
    void queryClient.invalidateQueries({ queryKey: trpc.cluster.get.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
  };
  const create = useMutation(trpc.cluster.create.mutationOptions({ onSuccess: refresh }));
  const join = useMutation(trpc.cluster.join.mutationOptions({ onSuccess: refresh }));
  const current = cluster.data ?? null;
  const on = current !== null;
  const mutation = on ? join : create;
  const fields = fieldErrorsOf(mutation.error);
  const formError = formLevelMessage(mutation.error, (k) => SHOWN_AT_FIELD.has(k));
  const chosen = serverId || candidates[0]?.id || "";
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const address = advertiseAddress.trim() === "" ? {} : { advertiseAddress };
    if (on) join.mutate({ serverId: chosen, role, ...address });
    else create.mutate({ serverId: chosen, ...address });
  };
  if (cluster.data === undefined) return null;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label={on ? "Add to cluster" : "Create cluster"}>
      <p className="text-sm text-fg-muted" data-testid="cluster-summary">
        {current
          ? `Cluster mode is on: a Docker Swarm managed through ${current.managerName} since ${formatDateTime(current.createdAt)}. Add another server below; removing a server drains it and makes it leave the swarm first.`
          : "Cluster mode is off. Create a cluster on one reachable server: Berth initialises a Docker Swarm there, and you can then add the other servers."}
      </p>
      {current && current.control.state !== "ok" && (
        <div data-testid="cluster-control" data-state={current.control.state}>
          <ErrorAlert
            message={`${current.control.state === "no-quorum" ? "No quorum" : "No manager answers"}${current.control.checkedAt ? ` (checked ${formatDateTime(current.control.checkedAt)})` : ""}: ${current.control.error ?? ""}`}
          />
        </div>
      )}
      {candidates.length === 0 ? (
        <p className="text-sm text-fg-subtle">
          {servers.length === 0 ? "Add a server first." : "Every server is in the cluster already: add another server first."}
        </p>
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-3">
            <SelectField
              label="Server"
              name="serverId"
              options={candidates.map((s) => ({ value: s.id, label: `${s.name} (${s.state})` }))}
              value={chosen}
              onChange={(e) => setServerId(e.target.value)}
              error={fields.serverId}
            />
            {on && (
              <SelectField
                label="Role"
                name="role"
                options={ROLES}
                value={role}
                onChange={(e) => setRole(e.target.value as "worker" | "manager")}
                error={fields.role}
              />
            )}
            <TextField
              label="Advertise address"
              name="advertiseAddress"
              placeholder="the server's host"
              value={advertiseAddress}
              onChange={(e) => setAdvertiseAddress(e.target.value)}
              error={fields.advertiseAddress}
              hint="The IP other nodes reach this server at. Blank: the host Berth connects to (required for a local socket)."
              autoComplete="off"
              spellCheck={false}
            />
          </div>
          {formError && <ErrorAlert message={formError} />}
          <Button type="submit" pending={mutation.isPending} pendingLabel={on ? "Joining…" : "Creating…"}>
            {on ? "Add to cluster" : "Create cluster"}
          </Button>
        </>
      )}
    </form>
  );
}
