"use client";

import { useId, useState } from "react";
import { parseEnvFile } from "@/lib/env-file";
import { Button } from "../ui/button";
import { EnvValueInput } from "../env/env-value-input";
import { FieldError, inputClass } from "../ui/field";
import { mergeEnvRows, newEnvRow, type EnvRow } from "@/lib/env-rows";
import type { EnvPair } from "@/lib/env-file";

export interface EnvEditorProps {
  rows: EnvRow[];
  onChange: (rows: EnvRow[]) => void;
  /** Messages per row id (from `env.<index>.key` / `.value`). */
  rowErrors: Map<number, { key?: string; value?: string }>;
  /** A message about the list as a whole (`env`). */
  listError?: string | undefined;
}

/** Rows of KEY / value with add and remove, plus a "paste a .env file" helper. */
export function EnvEditor({ rows, onChange, rowErrors, listError }: EnvEditorProps) {
  const headingId = useId();
  const listErrorId = `${headingId}-error`;
  const update = (id: number, patch: Partial<EnvRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...patch } : row)));
  const remove = (id: number) => {
    const rest = rows.filter((row) => row.id !== id);
    onChange(rest.length ? rest : [newEnvRow()]);
  };

  return (
    <fieldset
      aria-labelledby={headingId}
      aria-describedby={listError ? listErrorId : undefined}
      className="space-y-2"
      data-testid="env-editor"
    >
      <legend id={headingId} className="text-sm font-medium text-slate-800">
        Environment variables
      </legend>
      <ul className="space-y-2">
        {rows.map((row, index) => {
          const errors = rowErrors.get(row.id);
          const n = index + 1;
          return (
            <li key={row.id} className="space-y-1">
              <div className="flex gap-2">
                <input
                  aria-label={`Variable ${n} key`}
                  placeholder="KEY"
                  value={row.key}
                  onChange={(e) => update(row.id, { key: e.target.value })}
                  aria-invalid={errors?.key ? true : undefined}
                  aria-describedby={errors?.key ? `${headingId}-${row.id}-key` : undefined}
                  className={`${inputClass(Boolean(errors?.key))} font-mono`}
                  autoComplete="off"
                  spellCheck={false}
                />
                <EnvValueInput
                  aria-label={`Variable ${n} value`}
                  placeholder="value"
                  value={row.value}
                  onChange={(value) => update(row.id, { value })}
                  aria-invalid={errors?.value ? true : undefined}
                  aria-describedby={errors?.value ? `${headingId}-${row.id}-value` : undefined}
                  className={`${inputClass(Boolean(errors?.value))} font-mono`}
                  autoComplete="off"
                  spellCheck={false}
                />
                <Button variant="ghost" aria-label={`Remove variable ${n}`} onClick={() => remove(row.id)}>
                  ✕
                </Button>
              </div>
              <FieldError id={`${headingId}-${row.id}-key`} message={errors?.key} />
              <FieldError id={`${headingId}-${row.id}-value`} message={errors?.value} />
            </li>
          );
        })}
      </ul>
      <FieldError id={listErrorId} message={listError} />
      <div className="flex flex-wrap items-start gap-3">
        <Button variant="secondary" onClick={() => onChange([...rows, newEnvRow()])}>
          Add variable
        </Button>
        <EnvPaste onPaste={(pairs) => onChange(mergeEnvRows(rows, pairs))} />
      </div>
    </fieldset>
  );
}

function EnvPaste({ onPaste }: { onPaste: (pairs: EnvPair[]) => void }) {
  const id = useId();
  const [text, setText] = useState("");
  const [note, setNote] = useState<string | null>(null);
  // Bad lines, by number: nothing is added until the text is valid (as the server's import).
  const [problems, setProblems] = useState<string | null>(null);
  const apply = () => {
    const parsed = parseEnvFile(text);
    setProblems("error" in parsed ? parsed.error : null);
    setNote(null);
    if ("error" in parsed) return;
    const { pairs } = parsed;
    if (pairs.length === 0) return setNote("No KEY=value lines found.");
    onPaste(pairs);
    setText("");
    setNote(pairs.length === 1 ? "Added 1 variable." : `Added ${pairs.length} variables.`);
  };
  return (
    <details className="min-w-0 flex-1 text-sm">
      <summary className="cursor-pointer rounded-md px-2 py-2 text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-600">
        Paste a .env file
      </summary>
      <div className="mt-2 space-y-2">
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          .env contents
        </label>
        <textarea
          id={id}
          rows={4}
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={'KEY=value\nOTHER="quoted value"'}
          className={`${inputClass(Boolean(problems))} font-mono`}
          spellCheck={false}
          aria-invalid={problems ? true : undefined}
        />
        {problems && (
          <p role="alert" className="whitespace-pre-line text-sm text-danger-fg">
            {problems}
          </p>
        )}
        <div className="flex items-center gap-3">
          <Button variant="secondary" onClick={apply} disabled={text.trim() === ""}>
            Add from .env
          </Button>
          {note && (
            <span role="status" className="text-slate-600">
              {note}
            </span>
          )}
        </div>
      </div>
    </details>
  );
}
