"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, fieldErrorsOf } from "@/lib/errors";
import { useTRPC } from "@/lib/trpc";
import { ErrorAlert } from "../ui/alert";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";
import type { EnvTarget } from "./env-vars-editor";

/** Paste .env text: validated on the server line by line; nothing is saved unless every line is valid. */
export function DotenvImport({ target, onImported }: { target: EnvTarget; onImported: () => void }) {
  const trpc = useTRPC();
  const [text, setText] = useState("");
  const [secret, setSecret] = useState(false);
  const options = {
    onSuccess: () => {
      setText("");
      onImported();
    },
  };
  const importOwn = useMutation(trpc.env.import.mutationOptions(options));
  const importShared = useMutation(trpc.env.importShared.mutationOptions(options));
  const importEnv = target.kind === "service" ? importOwn : importShared;
  const fields = fieldErrorsOf(importEnv.error);
  const submit = () => {
    const input = { text, secret, buildTime: false, runtime: true };
    if (target.kind === "service") importOwn.mutate({ serviceId: target.serviceId, ...input });
    else importShared.mutate({ projectId: target.projectId, ...input });
  };
  return (
    <details className="w-full text-sm">
      <summary className="cursor-pointer rounded-md px-2 py-2 text-slate-700">Import a .env file</summary>
      <div className="mt-2 space-y-2">
        <label className="block text-sm font-medium text-slate-800">
          .env contents
          <textarea
            aria-label=".env contents"
            rows={5}
            value={text}
            onChange={(e) => setText(e.target.value)}
            className={`${inputClass(Boolean(fields.text))} mt-1 font-mono text-xs`}
            spellCheck={false}
            aria-invalid={fields.text ? true : undefined}
          />
        </label>
        {fields.text && (
          <pre className="whitespace-pre-wrap text-sm text-red-700" role="alert">
            {fields.text}
          </pre>
        )}
        <label className="inline-flex items-center gap-1 text-xs text-slate-700">
          <input type="checkbox" checked={secret} onChange={(e) => setSecret(e.target.checked)} /> Import as secrets
        </label>
        <div>
          <Button
            variant="secondary"
            onClick={submit}
            pending={importEnv.isPending}
            pendingLabel="Importing…"
            disabled={text.trim() === ""}
          >
            Import
          </Button>
        </div>
        {importEnv.error && !fields.text && <ErrorAlert message={errorMessage(importEnv.error)} />}
        {importEnv.data && (
          <p className="text-sm text-emerald-700" role="status">
            Imported {importEnv.data.imported} variable(s).
          </p>
        )}
      </div>
    </details>
  );
}
