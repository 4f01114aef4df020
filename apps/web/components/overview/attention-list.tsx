import { IntentLink } from "../ui/intent-link";
import type { Overview } from "./overview-types";

const ICONS: Record<string, string> = { deploy_failed: "✕", crash_loop: "↻", oom_killed: "▲", exited: "■", disk_pressure: "◼" };

/** What needs attention, first on the overview: each item says what happened and links to it. */
export function AttentionList({ items }: { items: Overview["attention"] }) {
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="attention-heading" className="rounded-lg border border-red-200 bg-red-50 p-4" data-testid="attention">
      <h3 id="attention-heading" className="text-sm font-semibold text-red-900">
        Needs attention ({items.length})
      </h3>
      <ul className="mt-2 space-y-1.5">
        {items.map((a, i) => (
          <li key={`${a.serviceId ?? "host"}-${a.kind}-${i}`} data-kind={a.kind} className="flex gap-2 text-sm text-red-900">
            <span aria-hidden className="w-4 shrink-0 text-center">
              {ICONS[a.kind] ?? "•"}
            </span>
            <span className="min-w-0 whitespace-pre-line">
              {a.serviceId ? (
                <IntentLink href={`/services/${a.serviceId}`} className="font-medium underline-offset-2 hover:underline">
                  {a.projectName} / {a.serviceName}
                </IntentLink>
              ) : (
                <span className="font-medium">Host</span>
              )}
              : {a.message}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
