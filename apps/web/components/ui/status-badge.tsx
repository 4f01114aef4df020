import type { StatusView, Tone } from "@/lib/status";

const TONES: Record<Tone, string> = {
  neutral: "bg-slate-100 text-fg-muted ring-slate-300",
  info: "bg-sky-50 text-sky-800 ring-sky-300",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-300",
  warning: "bg-warning-soft text-amber-800 ring-amber-300",
  danger: "bg-danger-soft text-danger-fg ring-red-300",
};

const DOTS: Record<Tone, string> = {
  neutral: "bg-slate-400",
  info: "bg-sky-500 animate-pulse",
  success: "bg-emerald-500",
  warning: "bg-amber-500",
  danger: "bg-red-500",
};

/** A status pill; `data-status` carries the stable machine key for tests. */
export function StatusBadge({ status, testId }: { status: StatusView; testId?: string }) {
  return (
    <span
      data-testid={testId}
      data-status={status.key}
      className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[status.tone]}`}
    >
      <span aria-hidden className={`size-1.5 rounded-full ${DOTS[status.tone]}`} />
      {status.label}
    </span>
  );
}
