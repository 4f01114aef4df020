"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime } from "@/lib/format";

const never = () => () => {};

/** "2026-11-28 17:03 UTC": what the server renders, knowing neither the viewer's locale nor zone. PURE. */
export function utcMinute(value: string | Date | null | undefined): string {
  const date = value ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/**
 * A date in the viewer's locale and time zone, in a page the server renders with data: the
 * server's HTML (and hydration) show it in UTC, the first client render right after shows it local.
 */
export function LocalDateTime({ value }: { value: string | Date | null | undefined }) {
  const hydrated = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  return <span>{hydrated ? formatDateTime(value) : utcMinute(value)}</span>;
}
