"use client";

import type { Kind } from "@/lib/service-settings-form";

export const KIND_CHOICES: { value: Kind; label: string; hint: string }[] = [
  { value: "web", label: "Web", hint: "An HTTP port, domains, health-gated deploys." },
  { value: "worker", label: "Worker", hint: "No port and no domain; ready once it runs without restarting." },
  { value: "tcp", label: "TCP", hint: "A non-HTTP port (a database, a queue), optionally published on a host port." },
];

/** Kind choice as radio buttons, each with its one-line meaning. */
export function KindRadios({
  value,
  onChange,
  name,
  error,
  columns = false,
}: {
  value: Kind;
  onChange: (kind: Kind) => void;
  name: string;
  error?: string | undefined;
  /** Side by side on wider screens (the settings form); stacked otherwise. */ columns?: boolean;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${name}-error` : undefined}>
      <legend className="text-sm font-medium text-fg">Kind</legend>
      <div className={`grid gap-2 ${columns ? "sm:grid-cols-3" : ""}`}>
        {KIND_CHOICES.map((k) => (
          // The label covers the card (after:inset-0), so the whole card is the click target; the hint describes the radio.
          <div
            key={k.value}
            className={`relative flex items-start gap-2 rounded-md border p-3 text-sm ${value === k.value ? "border-accent bg-surface-muted" : "border-line-strong"}`}
          >
            <input
              id={`${name}-${k.value}`}
              type="radio"
              name={name}
              value={k.value}
              checked={value === k.value}
              onChange={() => onChange(k.value)}
              aria-describedby={`${name}-${k.value}-hint`}
              className="relative z-10 mt-0.5 accent-indigo-600"
            />
            <div>
              <label htmlFor={`${name}-${k.value}`} className="block cursor-pointer font-medium text-fg after:absolute after:inset-0">
                {k.label}
              </label>
              <p id={`${name}-${k.value}-hint`} className="text-xs text-fg-muted">
                {k.hint}
              </p>
            </div>
          </div>
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
