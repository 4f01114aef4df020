"use client";

import { formatTime } from "./backup-format";

export interface RestoreRow {
  id: string;
  status: "running" | "succeeded" | "failed";
  step: string;
  serviceName: string;
  startedAt: Date | string;
  error: string | null;
}

export function RecentRestores({ restores, timeZone }: { restores: RestoreRow[]; timeZone: string }) {
  return (
    <section className="space-y-2">
      <h3 className="font-medium text-fg">Recent restores</h3>
      <ul className="space-y-1" data-testid="recent-restores">
        {restores.map((r) => (
          <li key={r.id} data-status={r.status}>
            <span className={r.status === "failed" ? "text-red-700" : r.status === "succeeded" ? "text-emerald-700" : ""}>{r.status}</span>{" "}
            into {r.serviceName}, {formatTime(r.startedAt, timeZone)}
            {r.status === "running" && r.step ? `: ${r.step}` : ""}
            {r.error && <span className="block text-xs text-red-700">{r.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
