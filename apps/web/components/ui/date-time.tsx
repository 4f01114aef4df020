"use client";

import { useSyncExternalStore } from "react";
import { formatDateTime } from "@/lib/format";

const utc = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const never = () => () => {};

/**
 * A date and time in the viewer's zone and locale, for data that may come with the page's HTML:
 * the server does not know the viewer's zone, so the HTML (and the hydration that must match it)
 * says UTC, and the browser's own rendering follows at once.
 */
export function DateTime({ value }: { value: string | null | undefined }) {
  const inBrowser = useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
  const date = value ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) return <>—</>;
  return <time dateTime={date.toISOString()}>{inBrowser ? formatDateTime(date) : `${utc.format(date)} UTC`}</time>;
}
