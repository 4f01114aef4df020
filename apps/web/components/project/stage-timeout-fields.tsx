"use client";

import { TextField } from "../ui/field";

export type StageTimeouts = { cloneTimeoutS: string; buildTimeoutS: string; startTimeoutS: string; healthTimeoutS: string };

export const emptyStageTimeouts: StageTimeouts = { cloneTimeoutS: "", buildTimeoutS: "", startTimeoutS: "", healthTimeoutS: "" };

const FIELDS: { key: keyof StageTimeouts; label: string; fallback: string }[] = [
  { key: "cloneTimeoutS", label: "Clone", fallback: "120" },
  { key: "buildTimeoutS", label: "Build", fallback: "900" },
  { key: "startTimeoutS", label: "Start", fallback: "120" },
  { key: "healthTimeoutS", label: "Health check", fallback: "30" },
];

/** The values to send: empty fields mean "the default". */
export function timeoutsForSubmit(value: StageTimeouts): Record<keyof StageTimeouts, number | null> {
  const out = {} as Record<keyof StageTimeouts, number | null>;
  for (const { key } of FIELDS) out[key] = value[key].trim() === "" ? null : Number(value[key]);
  return out;
}

/** Per-stage deadlines of this service's deployments, in seconds (collapsed by default). */
export function StageTimeoutFields({
  value,
  onChange,
  errors,
}: {
  value: StageTimeouts;
  onChange: (v: StageTimeouts) => void;
  errors: Record<string, string>;
}) {
  return (
    <details className="rounded-md border border-slate-200 p-4" open={FIELDS.some(({ key }) => errors[`timeouts.${key}`])}>
      <summary className="cursor-pointer text-sm font-medium text-slate-800">Stage timeouts (optional)</summary>
      <div className="mt-3 grid gap-4 sm:grid-cols-4">
        {FIELDS.map(({ key, label, fallback }) => (
          <TextField
            key={key}
            label={`${label} (s)`}
            name={key}
            type="number"
            min={1}
            placeholder={fallback}
            value={value[key]}
            onChange={(e) => onChange({ ...value, [key]: e.target.value })}
            error={errors[`timeouts.${key}`]}
          />
        ))}
      </div>
      <p className="mt-2 text-xs text-slate-500">
        A deployment that spends longer in a stage ends as timed out; the running release keeps serving.
      </p>
    </details>
  );
}
