"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { IntentLink } from "../ui/intent-link";
import { useState, type FormEvent } from "react";
import type { ServiceDetail } from "@/lib/api-types";
import { fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { Panel } from "../ui/page-header";
import { SelectField } from "../ui/select-field";

const POLL_MS = 5_000;
/** The select's values: Berth's own engine, a standalone remote server (`server:<id>`), the cluster. */
const LOCAL = "server";
const CLUSTER = "cluster";
const remoteValue = (serverId: string) => `server:${serverId}`;

function placementOptions(service: ServiceDetail) {
  const { placement } = service;
  const options = [{ value: LOCAL, label: "On this server (containers on Berth's own engine)" }];
  for (const s of placement.servers)
    options.push({ value: remoteValue(s.id), label: `On ${s.name} (a remote server${s.state === "reachable" ? "" : `, ${s.state}`})` });
  if (placement.server && !placement.servers.some((s) => s.id === placement.server?.id))
    options.push({ value: remoteValue(placement.server.id), label: `On ${placement.server.name} (a remote server)` });
  if (placement.clusterOn || placement.mode === "cluster")
    options.push({ value: CLUSTER, label: "On the cluster (a Swarm service, replicas spread over the nodes)" });
  return options;
}

function currentValue(service: ServiceDetail): string {
  if (service.placement.mode === "cluster") return CLUSTER;
  return service.placement.server ? remoteValue(service.placement.server.id) : LOCAL;
}

/** The constraint errors (constraints.N) as one message per line typed. */
function constraintErrors(fields: Record<string, string>): string | undefined {
  const lines = Object.entries(fields)
    .filter(([k]) => k === "constraints" || k.startsWith("constraints."))
    .map(([k, v]) => (k === "constraints" ? v : `Line ${Number(k.split(".")[1]) + 1}: ${v}`));
  return lines.length > 0 ? lines.join("\n") : undefined;
}

/** Where a cluster service's tasks run: node (server), state, and what went wrong. */
function TaskList({ serviceId }: { serviceId: string }) {
  const trpc = useTRPC();
  const tasks = useQuery({ ...trpc.services.tasks.queryOptions({ serviceId }), refetchInterval: POLL_MS });
  if (!tasks.data) return <p className="text-sm text-fg-subtle">{tasks.isError ? "Cannot load the tasks." : "Loading…"}</p>;
  if (tasks.data.error) return <p className="text-sm text-danger-fg">{tasks.data.error}</p>;
  if (tasks.data.tasks.length === 0) return <p className="text-sm text-fg-subtle">No tasks yet: deploy the service.</p>;
  return (
    <ul className="divide-y divide-line text-sm" data-testid="cluster-tasks">
      {tasks.data.tasks.map((t) => (
        <li key={t.id} className="flex flex-wrap items-center gap-3 py-2" data-testid="cluster-task" data-state={t.state}>
          <span className="font-mono text-xs text-fg-subtle">{t.slot === null ? t.id.slice(0, 8) : `#${t.slot}`}</span>
          <span className="text-fg" data-testid="cluster-task-server">
            {t.serverName ?? (t.nodeId ? `node ${t.nodeId.slice(0, 8)}` : "not placed")}
          </span>
          <span className="text-fg-muted">
            {t.state}
            {t.desiredState !== "running" && ` (desired ${t.desiredState})`}
          </span>
          {t.deploymentId && <span className="font-mono text-xs text-fg-subtle">{t.deploymentId.slice(0, 8)}</span>}
          {t.error && <span className="min-w-0 flex-1 truncate text-danger-fg">{t.error}</span>}
          {t.desiredState === "running" && t.state === "running" && (
            <span className="ml-auto flex gap-3">
              <IntentLink
                href={`/services/${serviceId}?tab=logs&task=${t.id}`}
                scroll={false}
                aria-label={`Logs of task ${t.slot ?? t.id.slice(0, 12)} on ${t.serverName ?? "its node"}`}
                className="text-accent-fg hover:underline"
              >
                Logs
              </IntentLink>
              <IntentLink
                href={`/services/${serviceId}?tab=terminal&task=${t.id}`}
                scroll={false}
                aria-label={`Terminal in task ${t.slot ?? t.id.slice(0, 12)} on ${t.serverName ?? "its node"}`}
                className="text-accent-fg hover:underline"
              >
                Terminal
              </IntentLink>
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** A service with volumes runs on one node of the cluster: which one, or that it will be picked. */
function PinNote({ service }: { service: ServiceDetail }) {
  const pinned = service.placement.pinnedTo;
  if (pinned && service.placement.mode === "cluster")
    return (
      <p role="note" className="text-sm text-fg" data-testid="placement-pinned">
        Pinned to <strong>{pinned.serverName ?? `node ${pinned.nodeId.slice(0, 12)}`}</strong> because of its volume: its data lives there,
        so it runs one replica on that node only, and the node cannot be drained or removed while the service keeps its volume.
      </p>
    );
  if (service.settings.volumes.length === 0) return null;
  return (
    <p role="note" className="text-sm text-fg-muted" data-testid="placement-pin-pending">
      With a volume, the service is pinned to one node at its first deployment on the cluster (a ready node that satisfies the constraints
      and holds the fewest pinned services): its volume is created there and it runs one replica on that node only.
    </p>
  );
}

/**
 * On this server, on a standalone remote server (a team admin picks it) or on the cluster, with
 * placement constraints (one per line); a cluster service's tasks.
 */
export function PlacementPanel({ service, canChange, isAdmin }: { service: ServiceDetail; canChange: boolean; isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [value, setValue] = useState(currentValue(service));
  const mode = value === CLUSTER ? "cluster" : "server";
  const serverId = value.startsWith("server:") ? value.slice("server:".length) : null;
  const [constraints, setConstraints] = useState(service.placement.constraints.join("\n"));
  const save = useMutation(
    trpc.services.setPlacement.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.services.get.queryKey({ serviceId: service.id }) }),
    }),
  );
  const options = placementOptions(service);
  // Nothing to choose on a single server: shown once there is a remote server or cluster mode is on.
  if (options.length === 1) return null;
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (key) => key === "placement" || key === "serverId" || key.startsWith("constraints"));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const list =
      mode === "cluster"
        ? constraints
            .split("\n")
            .map((c) => c.trim())
            .filter((c) => c !== "")
        : [];
    save.mutate({ serviceId: service.id, placement: mode, serverId, constraints: list });
  };
  const constraintError = constraintErrors(fields);
  return (
    <Panel title="Placement">
      <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Placement">
        <SelectField
          label="Runs"
          name="placement"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          options={options}
          error={fields.placement ?? fields.serverId}
          disabled={!canChange}
        />
        {serverId !== null && (
          <p role="note" className="text-sm text-fg-muted" data-testid="remote-note">
            Deployed through that server&apos;s Docker Engine (an image Berth built, or one only Berth&apos;s host has, is copied there);
            its domains reach it through Berth&apos;s proxy. Other services of its project reach it by name only on the same server.
            {!isAdmin && " Only a team admin can move a service to or from a remote server."}
          </p>
        )}
        {mode === "cluster" && (
          <>
            <div className="space-y-1.5">
              <label htmlFor="placement-constraints" className="block text-sm font-medium text-fg">
                Placement constraints
              </label>
              <textarea
                id="placement-constraints"
                name="constraints"
                rows={3}
                value={constraints}
                onChange={(e) => setConstraints(e.target.value)}
                disabled={!canChange}
                aria-invalid={constraintError ? true : undefined}
                aria-describedby="placement-constraints-hint"
                className="block w-full rounded-md border border-line bg-surface px-3 py-2 font-mono text-sm text-fg"
              />
              <p id="placement-constraints-hint" className="text-xs text-fg-subtle">
                One per line, from the nodes&apos; labels on the Servers page: <code>node.labels.zone==eu</code>,{" "}
                <code>node.hostname==node-a</code>, <code>node.role==worker</code> (or <code>!=</code>). A constraint no node satisfies
                makes the deployment fail with that reason.
              </p>
              {constraintError && <p className="whitespace-pre-line text-sm text-danger-fg">{constraintError}</p>}
            </div>
            <p role="note" className="text-sm text-fg-muted" data-testid="cluster-note">
              Replicas (Settings) spread over the nodes; updates start the new task first and roll back on failure. Images Berth builds
              reach the nodes through the cluster&apos;s registry. A published host port is not available on the cluster. A web
              service&apos;s domains reach its tasks on every node through the cluster&apos;s edge; other services of its project reach it
              by name over the project&apos;s overlay network.
            </p>
          </>
        )}
        {mode === "cluster" && <PinNote service={service} />}
        {formError && <ErrorAlert message={formError} />}
        {canChange && (
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save placement"}
          </Button>
        )}
        <p className="text-xs text-fg-subtle">Saving changes nothing running: the next deployment applies it.</p>
      </form>
      {service.placement.mode === "cluster" && (
        <div className="mt-4 space-y-2">
          <h3 className="text-sm font-medium text-fg">Where its tasks run</h3>
          <TaskList serviceId={service.id} />
        </div>
      )}
    </Panel>
  );
}
