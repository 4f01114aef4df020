"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { errorCode, errorMessage } from "@/lib/errors";
import { formatBytes, formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import type { ServerItem } from "@/lib/api-types";
import { useSession } from "../shell/session";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-field";
import { EmptyState } from "../ui/empty-state";
import { PageHeader, Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { StatusBadge } from "../ui/status-badge";
import { AddServerForm } from "./add-server-form";
import { ClusterForm } from "./cluster-form";
import { ClusterNode } from "./cluster-node";
import { serverStateView } from "./server-state";

/** `/servers`: the Docker Engines Berth reaches, for the instance owner. */
export function ServersPage() {
  const trpc = useTRPC();
  const { me } = useSession();
  const servers = useQuery({ ...trpc.servers.list.queryOptions(), refetchInterval: 15_000 });
  const header = (
    <PageHeader
      title="Servers"
      subtitle="Docker Engines this Berth instance reaches: the local socket, or remote engines over TCP+TLS or SSH."
    />
  );
  if (me.user.instanceRole !== "owner" || errorCode(servers.error) === "FORBIDDEN") {
    return (
      <div className="space-y-6">
        {header}
        <p className="text-sm text-fg-muted">Only the owner of this Berth instance can see and manage its servers.</p>
      </div>
    );
  }
  return (
    <div className="space-y-6">
      {header}
      <Panel title="Servers">
        {servers.data === undefined ? (
          servers.isError ? (
            <QueryError error={servers.error} onRetry={() => void servers.refetch()} retrying={servers.isFetching} what="servers" />
          ) : (
            <Loading />
          )
        ) : servers.data.length === 0 ? (
          <EmptyState title="No servers yet">Add the first one below.</EmptyState>
        ) : (
          <ul className="divide-y divide-line">
            {servers.data.map((s) => (
              <ServerRow key={s.id} server={s} />
            ))}
          </ul>
        )}
      </Panel>
      {servers.data !== undefined && (
        <Panel title="Cluster">
          <ClusterForm servers={servers.data} />
        </Panel>
      )}
      <Panel title="Add a server">
        <AddServerForm />
      </Panel>
    </div>
  );
}

function ServerRow({ server }: { server: ServerItem }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.servers.list.queryKey() });
    // Removing the last node ends cluster mode.
    void queryClient.invalidateQueries({ queryKey: trpc.cluster.get.queryKey() });
  };
  const check = useMutation(trpc.servers.check.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.servers.remove.mutationOptions({ onSuccess: refresh }));
  const resources =
    server.dockerVersion === null
      ? "Not seen yet"
      : `Docker ${server.dockerVersion} · ${server.cpus ?? "?"} CPUs · ${formatBytes(server.memoryBytes)} memory · ${formatBytes(server.diskBytes)} on disk`;
  return (
    <li className="space-y-3 py-4" data-testid={`server-${server.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="space-y-1">
          <p className="font-medium text-fg">
            {server.name} <span className="font-mono text-xs text-fg-subtle">{server.address}</span>
          </p>
          <p className="text-sm text-fg-muted" data-testid="server-resources">
            {resources}
          </p>
          <p className="text-xs text-fg-subtle">
            Last seen {server.lastSeenAt ? formatDateTime(server.lastSeenAt) : "never"} · checked{" "}
            {server.checkedAt ? formatDateTime(server.checkedAt) : "never"}
          </p>
        </div>
        <div className="flex items-center gap-2">
          <StatusBadge status={serverStateView(server.state)} testId="server-state" />
          <Button
            variant="secondary"
            pending={check.isPending}
            pendingLabel="Checking…"
            onClick={() => check.mutate({ serverId: server.id })}
          >
            Check now
          </Button>
          <Button
            variant="danger"
            pending={remove.isPending}
            pendingLabel="Removing…"
            onClick={() => {
              const what = server.node
                ? `Remove ${server.name} from Berth? It is drained (its tasks move to other nodes) and leaves the swarm first.`
                : `Remove ${server.name} from Berth? Nothing on the server itself changes.`;
              if (window.confirm(what)) remove.mutate({ serverId: server.id });
            }}
          >
            Remove
          </Button>
        </div>
      </div>
      {server.stateReason && (
        <p
          role="status"
          className="rounded-md border border-line bg-surface-muted px-3 py-2 text-sm text-fg-muted"
          data-testid="server-reason"
        >
          {server.stateReason}
        </p>
      )}
      {server.sshPublicKey && (
        <CopyField
          label="Berth's public key for this server"
          value={server.sshPublicKey}
          hint="Add this line to the user's ~/.ssh/authorized_keys on the server, then Check now."
          testId="server-ssh-public-key"
        />
      )}
      {server.node && <ClusterNode server={server} node={server.node} />}
      {server.hostKeySha256 && (
        <p className="text-xs text-fg-subtle">
          Pinned host key: <span className="font-mono">{server.hostKeySha256}</span>
        </p>
      )}
      {check.error && <ErrorAlert message={errorMessage(check.error)} />}
      {remove.error && <ErrorAlert message={errorMessage(remove.error)} />}
    </li>
  );
}
