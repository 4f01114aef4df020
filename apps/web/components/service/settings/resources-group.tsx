"use client";

import { effectiveStrategy, STRATEGY_COSTS, type RestartPolicy, type Strategy } from "@/lib/service-settings-form";
import { TextField } from "../../ui/field";
import { SelectField } from "../../ui/select-field";
import { SettingsGroup, type GroupProps } from "./settings-group";

export interface InstanceLimits {
  cpus: number | null;
  memoryMb: number | null;
  pidsLimit: number | null;
}

const RESTART: { value: RestartPolicy; label: string }[] = [
  { value: "unless-stopped", label: "Unless stopped (default)" },
  { value: "always", label: "Always" },
  { value: "on-failure", label: "On failure" },
  { value: "no", label: "Never" },
];

const STRATEGIES: { value: Strategy; label: string }[] = [
  { value: "auto", label: "Automatic" },
  { value: "start_first", label: "Start-first" },
  { value: "stop_first", label: "Stop-first" },
];

const fallback = (value: number | null, unit: string) =>
  value === null ? "Unlimited (instance default)" : `${value}${unit} (instance default)`;

/** The limit fields, in order; each one's placeholder is what applies when it is empty. */
const LIMITS: {
  key: "cpus" | "memoryMb" | "pidsLimit" | "shmMb";
  label: string;
  min: number;
  step?: number;
  placeholder: (defaults: InstanceLimits) => string;
}[] = [
  { key: "cpus", label: "CPUs", min: 0.01, step: 0.01, placeholder: (d) => fallback(d.cpus, "") },
  { key: "memoryMb", label: "Memory (MiB)", min: 6, placeholder: (d) => fallback(d.memoryMb, " MiB") },
  { key: "pidsLimit", label: "PID limit", min: 16, placeholder: (d) => fallback(d.pidsLimit, "") },
  { key: "shmMb", label: "Shared memory (/dev/shm, MiB)", min: 1, placeholder: () => "64 MiB (Docker's default)" },
];

/** Limits (empty: the instance default, shown as the placeholder), restart policy, replicas, strategy. */
export function ResourcesGroup({ form, set, errors, defaults }: GroupProps & { defaults: InstanceLimits }) {
  const limits = (p: Partial<typeof form.limits>) => set({ limits: { ...form.limits, ...p } });
  const resolved = effectiveStrategy(form);
  return (
    <SettingsGroup title="Resources and deploys" description="Leave a limit empty to use the instance default.">
      <div className="grid gap-4 sm:grid-cols-4">
        {LIMITS.map(({ key, label, min, step, placeholder }) => (
          <TextField
            key={key}
            label={label}
            name={key}
            type="number"
            min={min}
            step={step}
            value={form.limits[key]}
            onChange={(e) => limits({ [key]: e.target.value })}
            error={errors[`limits.${key}`]}
            placeholder={placeholder(defaults)}
          />
        ))}
      </div>
      <TextField
        label="Ulimits"
        name="ulimits"
        value={form.ulimits}
        onChange={(e) => set({ ulimits: e.target.value })}
        error={errors.ulimits}
        placeholder="The engine's"
        hint="name=soft:hard, or one value for both, e.g. nofile=65535 memlock=unlimited (nofile, nproc, memlock, core, stack, locks, sigpending, msgqueue)."
        autoComplete="off"
        spellCheck={false}
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField
          label="Restart policy"
          name="restartPolicy"
          value={form.restartPolicy}
          onChange={(e) => set({ restartPolicy: e.target.value as RestartPolicy })}
          options={RESTART}
          error={errors.restartPolicy}
        />
        <TextField
          label="Replicas"
          name="replicas"
          type="number"
          min={1}
          max={10}
          value={form.replicas}
          onChange={(e) => set({ replicas: e.target.value })}
          error={errors.replicas}
          hint={form.kind === "web" ? "The edge proxy balances over all healthy ones." : undefined}
        />
        <SelectField
          label="Deploy strategy"
          name="strategy"
          value={form.strategy}
          onChange={(e) => set({ strategy: e.target.value as Strategy })}
          options={STRATEGIES}
          error={errors.strategy}
        />
      </div>
      <div className="space-y-1 text-sm text-fg-muted" data-testid="strategy-cost">
        <p>{STRATEGY_COSTS[form.strategy]}</p>
        {form.strategy === "auto" && (
          <p>{resolved === "stop_first" ? STRATEGY_COSTS.stop_first : STRATEGY_COSTS.start_first} (what this service gets now)</p>
        )}
      </div>
    </SettingsGroup>
  );
}
