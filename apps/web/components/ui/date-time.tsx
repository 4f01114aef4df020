"use client";

import { useSyncExternalStore } from "react";
import { durationBetween, formatDateTime } from "@/lib/format";

const utc = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const never = () => () => {};

/** False in the server's render and the hydration that must match it; true once in the browser. */
function useInBrowser(): boolean {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}

/**
 * A date and time in the viewer's zone and locale, for data that may come with the page's HTML:
 * the server does not know the viewer's zone, so the HTML (and the hydration that must match it)
 * says UTC, and the browser's own rendering follows at once.
 */
export function DateTime({ value }: { value: string | null | undefined }) {
  const inBrowser = useInBrowser();
  const date = value ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return <>—</>;
  return <time dateTime={date.toISOString()}>{inBrowser ? formatDateTime(date) : `${utc.format(date)} UTC`}</time>;
}

/**
 * How long something took, or has taken so far while it runs, for data that may come with the
 * page's HTML: a running one's length depends on the clock, which the server's render and the
 * browser's hydration do not share, so the HTML says "—" for it and the browser fills it in.
 */
export function Elapsed({ start, end }: { start: string | null; end: string | null }) {
  const inBrowser = useInBrowser();
  return <>{end !== null || inBrowser ? durationBetween(start, end) : "—"}</>;
}
