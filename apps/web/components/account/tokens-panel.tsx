"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "../shell/session";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-field";
import { TextField } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { SelectField } from "../ui/select-field";

type Scope = "read" | "deploy" | "admin";
const SCOPES = [
  { value: "read", label: "Read: see services and deployments" },
  { value: "deploy", label: "Deploy: read, and deploy services" },
  { value: "admin", label: "Admin: everything your role allows" },
] as const;

/** Personal API tokens for the selected team: created here, shown once, revocable. */
export function TokensPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { team } = useSession();
  const [name, setName] = useState("");
  const [scope, setScope] = useState<Scope>("deploy");
  const [days, setDays] = useState("");
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: () => {
        setName("");
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: refresh }));
  const fields = fieldErrorsOf(create.error);
  const formError = formLevelMessage(create.error, (k) => ["name", "scope", "expiresInDays"].includes(k));
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ teamId: team.id, name: name.trim(), scope, expiresInDays: days.trim() ? Number(days) : undefined });
  };
  return (
    <Panel title="API tokens">
      <div className="space-y-5">
        <p className="text-sm text-slate-600">
          Use a token as <code className="font-mono text-xs">Authorization: Bearer &lt;token&gt;</code> on the API, e.g.{" "}
          <code className="font-mono text-xs">POST /api/v1/services/&lt;id&gt;/deploy</code> with a deploy token. A token acts in{" "}
          {team.name} only.
        </p>
        <form onSubmit={onSubmit} noValidate className="grid gap-4 sm:grid-cols-2">
          <TextField label="Token name" name="tokenName" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} />
          <SelectField
            label="Scope"
            name="scope"
            value={scope}
            onChange={(e) => setScope(e.target.value as Scope)}
            options={SCOPES}
            error={fields.scope}
          />
          <TextField
            label="Expires in days (optional)"
            name="expiresInDays"
            inputMode="numeric"
            value={days}
            onChange={(e) => setDays(e.target.value)}
            error={fields.expiresInDays}
            hint="Empty: never expires."
          />
          <div className="sm:pt-6.5">
            <Button type="submit" pending={create.isPending} pendingLabel="Creating…">
              Create token
            </Button>
          </div>
        </form>
        {formError && <ErrorAlert message={formError} />}
        {create.data && (
          <CopyField
            label={`New token "${create.variables.name}"`}
            value={create.data.token}
            testId="new-token"
            hint="Copy it now: it is shown only once and Berth stores only a hash."
          />
        )}
        {tokens.isPending ? (
          <Loading />
        ) : tokens.isError ? (
          <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} what="tokens" />
        ) : tokens.data.length === 0 ? (
          <p className="text-sm text-slate-500">No tokens yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 text-sm">
            {tokens.data.map((t) => (
              <li key={t.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 py-2.5" data-testid="token-row">
                <div className="min-w-0 flex-1">
                  <div className="font-medium text-slate-800">
                    {t.name} <span className="font-mono text-xs text-slate-500">{t.prefix}…</span>
                  </div>
                  <div className="text-slate-500">
                    {t.scope} · {t.team.name} · created {formatDateTime(t.createdAt)} · last used{" "}
                    {t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "never"}
                    {t.expiresAt && ` · expires ${formatDateTime(t.expiresAt)}`}
                  </div>
                </div>
                {t.revokedAt ? (
                  <span className="text-xs text-slate-500">Revoked {formatDateTime(t.revokedAt)}</span>
                ) : (
                  <Button
                    variant="secondary"
                    onClick={() => revoke.mutate({ tokenId: t.id })}
                    pending={revoke.isPending && revoke.variables.tokenId === t.id}
                    pendingLabel="Revoking…"
                  >
                    Revoke
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
        {revoke.error && <ErrorAlert message={errorMessage(revoke.error)} />}
      </div>
    </Panel>
  );
}
