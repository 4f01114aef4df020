"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { Table, Td, Tr } from "../ui/table";

const COLUMNS = [{ label: "Registry" }, { label: "Username" }, { label: "Saved" }, { label: "Actions", hidden: true }] as const;

/**
 * The team's private-registry credentials, used to pull its image services. Passwords are
 * sealed at rest and never shown again; saving a registry again replaces its credentials.
 */
export function RegistriesPanel({ teamId }: { teamId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [registry, setRegistry] = useState("");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const list = useQuery(trpc.registries.list.queryOptions({ teamId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.registries.list.queryKey({ teamId }) });
  const save = useMutation(
    trpc.registries.save.mutationOptions({
      onSuccess: async () => {
        setRegistry("");
        setUsername("");
        setPassword("");
        await refresh();
      },
    }),
  );
  const remove = useMutation(trpc.registries.delete.mutationOptions({ onSuccess: refresh }));
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => ["registry", "username", "password"].includes(k));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ teamId, registry: registry.trim(), username: username.trim(), password });
  };
  return (
    <Panel title="Registry credentials">
      <div className="space-y-5 text-sm" data-testid="registries-panel">
        <p className="text-fg-muted">
          Image services of this team pull from these private registries with the credentials saved here. Passwords are encrypted and never
          shown again.
        </p>
        {list.data === undefined ? (
          list.isError ? (
            <QueryError error={list.error} onRetry={() => void list.refetch()} retrying={list.isFetching} what="registry credentials" />
          ) : (
            <Loading />
          )
        ) : list.data.length === 0 ? (
          <p className="text-fg-subtle">No registry credentials: only public images and images on this machine can be deployed.</p>
        ) : (
          <Table caption="Registry credentials" columns={COLUMNS}>
            {list.data.map((r) => (
              <Tr key={r.id} data-testid="registry-row">
                <Td className="font-mono text-fg">{r.registry}</Td>
                <Td>{r.username}</Td>
                <Td>{formatDateTime(r.createdAt)}</Td>
                <Td className="text-right">
                  <Button
                    variant="secondary"
                    aria-label={`Delete credentials for ${r.registry}`}
                    onClick={() =>
                      window.confirm(`Delete the credentials for ${r.registry}? Pulls from it will fail until new ones are saved.`) &&
                      remove.mutate({ teamId, registryId: r.id })
                    }
                    pending={remove.isPending && remove.variables.registryId === r.id}
                    pendingLabel="Deleting…"
                  >
                    Delete
                  </Button>
                </Td>
              </Tr>
            ))}
          </Table>
        )}
        {remove.error && <ErrorAlert message={errorMessage(remove.error)} />}
        <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Add registry credentials">
          <div className="grid gap-3 sm:grid-cols-3">
            <TextField
              label="Registry host"
              name="registry"
              value={registry}
              onChange={(e) => setRegistry(e.target.value)}
              error={fields.registry}
              placeholder="ghcr.io"
              hint="No scheme or path, e.g. registry.example.com:5000."
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              label="Username"
              name="registryUsername"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              error={fields.username}
              autoComplete="off"
              spellCheck={false}
            />
            <TextField
              label="Password or token"
              name="registryPassword"
              type="password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              error={fields.password}
              autoComplete="new-password"
            />
          </div>
          {formError && <ErrorAlert message={formError} />}
          <Button type="submit" pending={save.isPending} pendingLabel="Saving…">
            Save credentials
          </Button>
        </form>
      </div>
    </Panel>
  );
}
