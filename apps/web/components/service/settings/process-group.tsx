"use client";

import type { Kind } from "@/lib/service-settings-form";
import { TextField } from "../../ui/field";
import { SettingsGroup, type GroupProps } from "./settings-group";

export const KIND_CHOICES: { value: Kind; label: string; hint: string }[] = [
  { value: "web", label: "Web", hint: "An HTTP port, domains, health-gated deploys." },
  { value: "worker", label: "Worker", hint: "No port and no domain; ready once it runs without restarting." },
  { value: "tcp", label: "TCP", hint: "A non-HTTP port (a database, a queue), optionally published on a host port." },
];

/** Kind choice as radio buttons, each with its one-line meaning. */
export function KindRadios({ value, onChange, name, error }: { value: Kind; onChange: (kind: Kind) => void; name: string; error?: string | undefined }) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="text-sm font-medium text-fg">Kind</legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {KIND_CHOICES.map((k) => (
          <label key={k.value} className={`flex cursor-pointer items-start gap-2 rounded-md border p-3 text-sm ${value === k.value ? "border-accent bg-surface-muted" : "border-line-strong"}`}>
            <input type="radio" name={name} value={k.value} checked={value === k.value} onChange={() => onChange(k.value)} className="mt-0.5 accent-indigo-600" />
            <span>
              <span className="block font-medium text-fg">{k.label}</span>
              <span className="block text-xs text-fg-muted">{k.hint}</span>
            </span>
          </label>
        ))}
      </div>
      {error && (
        <p id={`${name}-error`} className="text-sm text-danger-fg">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Name, kind, port, start command and entrypoint. */
export function ProcessGroup({ form, set, errors }: GroupProps) {
  return (
    <SettingsGroup title="Process" description="What runs and how it starts. Commands are split like a shell would split them, but no shell runs them.">
      <TextField label="Service name" name="name" value={form.name} onChange={(e) => set({ name: e.target.value })} error={errors.name} hint="Lowercase letters, digits and dashes; other services reach it by this name." autoComplete="off" spellCheck={false} />
      <KindRadios name="settings-kind" value={form.kind} onChange={(kind) => set({ kind, ...(kind === "worker" && ["http", "tcp"].includes(form.healthCheck.type) ? { healthCheck: { ...form.healthCheck, type: "default" } } : {}) })} error={errors.kind} />
      {form.kind !== "worker" && (
        <TextField label="Container port" name="containerPort" type="number" inputMode="numeric" min={1} max={65535} value={form.containerPort} onChange={(e) => set({ containerPort: e.target.value })} error={errors.containerPort} hint="The port the process listens on inside the container." />
      )}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Start command" name="command" value={form.command} onChange={(e) => set({ command: e.target.value })} error={errors.command} placeholder="The image's CMD" hint={'e.g. node server.js --port 8080 or sh -c "migrate && serve"'} autoComplete="off" spellCheck={false} />
        <TextField label="Entrypoint" name="entrypoint" value={form.entrypoint} onChange={(e) => set({ entrypoint: e.target.value })} error={errors.entrypoint} placeholder="The image's ENTRYPOINT" hint="Empty keeps the image's own." autoComplete="off" spellCheck={false} />
      </div>
    </SettingsGroup>
  );
}
