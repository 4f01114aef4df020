"use client";

import type { HealthType } from "@/lib/service-settings-form";
import { TextField } from "../../ui/field";
import { SelectField } from "../../ui/select-field";
import { SettingsGroup, type GroupProps } from "./settings-group";

const TYPES: { value: HealthType; label: string }[] = [
  { value: "default", label: "Default (the image's HEALTHCHECK, else a TCP connect; workers: running without restarts)" },
  { value: "http", label: "HTTP request" },
  { value: "tcp", label: "TCP connect" },
  { value: "command", label: "Command in the container" },
];

/** When a new release counts as healthy: the deploy gate and the overview both use it. */
export function HealthGroup({ form, set, errors }: GroupProps) {
  const hc = form.healthCheck;
  const patch = (p: Partial<typeof hc>) => set({ healthCheck: { ...hc, ...p } });
  const worker = form.kind === "worker";
  const types = worker ? TYPES.filter((t) => t.value === "default" || t.value === "command") : TYPES;
  return (
    <SettingsGroup
      title="Health check"
      description="A deploy switches over only once the new release passes it; a release that never does is removed and the old one keeps serving."
    >
      <SelectField
        label="Check"
        name="healthCheckType"
        value={hc.type}
        onChange={(e) => patch({ type: e.target.value as HealthType })}
        options={types}
        error={errors["healthCheck.type"]}
      />
      {hc.type === "http" && (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField
            label="Path"
            name="healthCheckPath"
            value={hc.path}
            onChange={(e) => patch({ path: e.target.value })}
            error={errors["healthCheck.path"]}
            placeholder="/healthz"
            autoComplete="off"
            spellCheck={false}
          />
          <TextField
            label="Expected status"
            name="healthCheckStatus"
            value={hc.expectStatus}
            onChange={(e) => patch({ expectStatus: e.target.value })}
            error={errors["healthCheck.expectStatus"]}
            hint="A status (200) or a range (200-399)."
            autoComplete="off"
          />
        </div>
      )}
      {hc.type === "command" && (
        <TextField
          label="Health command"
          name="healthCheckCommand"
          value={hc.command}
          onChange={(e) => patch({ command: e.target.value })}
          error={errors["healthCheck.command"]}
          hint="Exit code 0 means healthy, e.g. pg_isready -U postgres."
          autoComplete="off"
          spellCheck={false}
        />
      )}
      {worker && hc.type === "default" && (
        <TextField
          label="Stable after (s)"
          name="workerStableS"
          type="number"
          min={1}
          max={600}
          value={form.workerStableS}
          onChange={(e) => set({ workerStableS: e.target.value })}
          error={errors.workerStableS}
          hint="The worker is ready once it has run this long without restarting."
        />
      )}
      {hc.type !== "default" && (
        <div className="grid gap-4 sm:grid-cols-4">
          <TextField
            label="Interval (s)"
            name="healthCheckInterval"
            type="number"
            min={1}
            value={hc.intervalS}
            onChange={(e) => patch({ intervalS: e.target.value })}
            error={errors["healthCheck.intervalS"]}
          />
          <TextField
            label="Timeout (s)"
            name="healthCheckTimeout"
            type="number"
            min={1}
            value={hc.timeoutS}
            onChange={(e) => patch({ timeoutS: e.target.value })}
            error={errors["healthCheck.timeoutS"]}
          />
          <TextField
            label="Retries"
            name="healthCheckRetries"
            type="number"
            min={1}
            value={hc.retries}
            onChange={(e) => patch({ retries: e.target.value })}
            error={errors["healthCheck.retries"]}
          />
          <TextField
            label="Start period (s)"
            name="healthCheckStartPeriod"
            type="number"
            min={0}
            value={hc.startPeriodS}
            onChange={(e) => patch({ startPeriodS: e.target.value })}
            error={errors["healthCheck.startPeriodS"]}
          />
        </div>
      )}
    </SettingsGroup>
  );
}
