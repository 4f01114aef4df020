"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { errorMessage, fieldErrorsOf, formLevelMessage } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { EnvValueInput } from "./env-value-input";
import { FieldError, inputClass } from "../ui/field";
import { Panel } from "../ui/page-header";
import { Loading, QueryError } from "../ui/query-state";
import { DotenvImport } from "./dotenv-import";

export type EnvTarget = { kind: "service"; serviceId: string; projectId: string } | { kind: "project"; projectId: string };
/** The editor's targets: also a service's preview-only overrides (previews see them on top of its own). */
type EditorTarget = EnvTarget | { kind: "previews"; serviceId: string; projectId: string };

interface Row {
  key: number;
  id: string | null;
  name: string;
  /** For a saved secret: "" keeps the saved value (write-only). */
  value: string;
  secret: boolean;
  buildTime: boolean;
  runtime: boolean;
  savedSecret: boolean;
}

let nextKey = 1;
const blank = (): Row => ({
  key: nextKey++,
  id: null,
  name: "",
  value: "",
  secret: false,
  buildTime: false,
  runtime: true,
  savedSecret: false,
});

/**
 * A service's own variables or a project's shared ones. Secret values are write-only once
 * saved (blank = keep); team admins can reveal one (the server audits it).
 */
export function EnvVarsEditor({ target, canEdit, canReveal }: { target: EditorTarget; canEdit: boolean; canReveal: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const ownQuery = trpc.env.list.queryOptions({ serviceId: target.kind === "project" ? "" : target.serviceId });
  const previewQuery = trpc.previews.variables.queryOptions({ serviceId: target.kind === "project" ? "" : target.serviceId });
  const sharedQuery = trpc.env.listShared.queryOptions({ projectId: target.projectId });
  // The three lists answer the same shape (secrets/env-vars.ts listEnv).
  const listQuery = (target.kind === "service" ? ownQuery : target.kind === "previews" ? previewQuery : sharedQuery) as typeof ownQuery;
  const list = useQuery(listQuery);
  const [rows, setRows] = useState<Row[]>([]);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!list.data) return;
    setRows(
      list.data.map((v) => ({
        key: nextKey++,
        id: v.id,
        name: v.name,
        value: v.value ?? "",
        secret: v.secret,
        buildTime: v.buildTime,
        runtime: v.runtime,
        savedSecret: v.secret,
      })),
    );
  }, [list.data]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: listQuery.queryKey });
  const saveOptions = { onSuccess: () => void refresh() };
  const saveOwn = useMutation(trpc.env.save.mutationOptions(saveOptions));
  const saveShared = useMutation(trpc.env.saveShared.mutationOptions(saveOptions));
  const savePreviews = useMutation(trpc.previews.saveVariables.mutationOptions(saveOptions));
  const save = target.kind === "service" ? saveOwn : target.kind === "previews" ? savePreviews : saveShared;
  const reveal = useMutation(
    trpc.env.reveal.mutationOptions({ onSuccess: (data, vars) => setRevealed((r) => ({ ...r, [vars.envVarId]: data.value })) }),
  );
  const fields = fieldErrorsOf(save.error);
  const formError = formLevelMessage(save.error, (k) => k.startsWith("vars."));
  const update = (key: number, patch: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  const submit = () => {
    const vars = rows
      .filter((r) => r.name.trim() !== "" || r.value !== "")
      .map((r) => ({
        name: r.name.trim(),
        value: r.savedSecret && r.value === "" ? undefined : r.value,
        secret: r.secret,
        buildTime: r.buildTime,
        runtime: r.runtime,
      }));
    if (target.kind === "service") saveOwn.mutate({ serviceId: target.serviceId, vars });
    else if (target.kind === "previews") savePreviews.mutate({ serviceId: target.serviceId, vars });
    else saveShared.mutate({ projectId: target.projectId, vars });
  };
  const title =
    target.kind === "service" ? "Environment variables" : target.kind === "previews" ? "Preview variables" : "Shared environment variables";

  return (
    <Panel title={title}>
      <div className="space-y-4" data-testid={`env-${target.kind}`}>
        <p className="text-sm text-slate-600">
          {target.kind === "project" ? "Every service of this project gets these; a service's own variable of the same name wins. " : ""}
          {target.kind === "previews"
            ? "Previews get the service's variables with these on top (e.g. a DATABASE_URL of a preview database, so a preview never writes the service's data). "
            : ""}
          Values are encrypted at rest. Secret values are write-only after saving and masked in build and runtime logs. Build-time variables
          become build arguments (secret ones build secrets); run-time ones go to the container. Changes apply at the next deploy.
        </p>
        <p className="text-sm text-slate-600">
          A value can use another service&apos;s variable of this project:{" "}
          <code className="rounded bg-surface-muted px-1 font-mono text-fg">{"${{db.POSTGRES_PASSWORD}}"}</code>, resolved at each deploy (a
          secret stays masked).
        </p>
        {list.isPending ? (
          <Loading />
        ) : list.isError ? (
          <QueryError error={list.error} onRetry={() => void list.refetch()} what="variables" />
        ) : (
          <ul className="space-y-3" aria-labelledby={headingId}>
            {rows.length === 0 && <li className="text-sm text-slate-500">No variables yet.</li>}
            {rows.map((row, index) => {
              const n = index + 1;
              const err = (f: string) => fields[`vars.${index}.${f}`];
              return (
                <li key={row.key} className="space-y-1" data-testid="env-row">
                  <div className="flex flex-wrap items-center gap-2">
                    <input
                      aria-label={`Variable ${n} name`}
                      placeholder="NAME"
                      value={row.name}
                      disabled={!canEdit}
                      onChange={(e) => update(row.key, { name: e.target.value })}
                      aria-invalid={err("name") ? true : undefined}
                      className={`${inputClass(Boolean(err("name")))} w-48 font-mono`}
                      autoComplete="off"
                      spellCheck={false}
                    />
                    <EnvValueInput
                      aria-label={`Variable ${n} value`}
                      secret={row.secret}
                      placeholder={row.savedSecret ? "•••••• saved (leave blank to keep)" : "value"}
                      value={(row.id && revealed[row.id] !== undefined && row.value === "" ? revealed[row.id] : row.value) ?? ""}
                      disabled={!canEdit}
                      onChange={(value) => update(row.key, { value })}
                      aria-invalid={err("value") ? true : undefined}
                      className={`${inputClass(Boolean(err("value")))} min-w-48 flex-1 font-mono`}
                      autoComplete="off"
                      spellCheck={false}
                    />
                    <Flag label="Secret" checked={row.secret} disabled={!canEdit} onChange={(v) => update(row.key, { secret: v })} n={n} />
                    <Flag
                      label="Build"
                      checked={row.buildTime}
                      disabled={!canEdit}
                      onChange={(v) => update(row.key, { buildTime: v })}
                      n={n}
                    />
                    <Flag label="Run" checked={row.runtime} disabled={!canEdit} onChange={(v) => update(row.key, { runtime: v })} n={n} />
                    {row.savedSecret && row.id && canReveal && revealed[row.id] === undefined && (
                      <Button
                        variant="ghost"
                        onClick={() => reveal.mutate({ projectId: target.projectId, envVarId: row.id! })}
                        pending={reveal.isPending && reveal.variables.envVarId === row.id}
                        pendingLabel="Revealing…"
                      >
                        Reveal
                      </Button>
                    )}
                    {canEdit && (
                      <Button
                        variant="ghost"
                        aria-label={`Remove variable ${n}`}
                        onClick={() => setRows((rs) => rs.filter((r) => r.key !== row.key))}
                      >
                        ✕
                      </Button>
                    )}
                  </div>
                  <FieldError message={err("name")} />
                  <FieldError message={err("value")} />
                  <FieldError message={err("runtime")} />
                </li>
              );
            })}
          </ul>
        )}
        {formError && <ErrorAlert message={formError} />}
        {reveal.error && <ErrorAlert message={errorMessage(reveal.error)} />}
        {save.isSuccess && !save.isPending && (
          <p className="text-sm text-emerald-700" role="status">
            Saved. Deploy to apply.
          </p>
        )}
        {canEdit && (
          <div className="flex flex-wrap items-start gap-3">
            <Button variant="secondary" onClick={() => setRows((rs) => [...rs, blank()])}>
              Add variable
            </Button>
            <Button onClick={submit} pending={save.isPending} pendingLabel="Saving…">
              Save variables
            </Button>
            {target.kind !== "previews" && <DotenvImport target={target} onImported={() => void refresh()} />}
          </div>
        )}
      </div>
    </Panel>
  );
}

function Flag({
  label,
  checked,
  disabled,
  onChange,
  n,
}: {
  label: string;
  checked: boolean;
  disabled: boolean;
  onChange: (v: boolean) => void;
  n: number;
}) {
  return (
    <label className="inline-flex items-center gap-1 text-xs text-slate-700">
      <input
        type="checkbox"
        aria-label={`Variable ${n} ${label.toLowerCase()}`}
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      {label}
    </label>
  );
}
