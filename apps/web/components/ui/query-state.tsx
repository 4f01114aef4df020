"use client";

import { errorMessage } from "@/lib/errors";
import { ErrorAlert } from "./alert";

/** A loading line for a query; it cannot hang, as every request times out into an error. */
export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <p role="status" className="flex items-center gap-2 py-6 text-sm text-fg-subtle">
      <span aria-hidden className="size-4 animate-spin rounded-full border-2 border-line-strong border-r-transparent" />
      {label}
    </p>
  );
}

export interface QueryErrorProps {
  error: unknown;
  onRetry: () => void;
  retrying?: boolean;
  what?: string;
}

function asSentence(message: string): string {
  return /[.!?…]$/.test(message) ? message : `${message}.`;
}

/** A failed query: the reason in words and a Retry button. */
export function QueryError({ error, onRetry, retrying = false, what }: QueryErrorProps) {
  const sentence = asSentence(errorMessage(error));
  return <ErrorAlert message={what ? `Could not load ${what}. ${sentence}` : sentence} onRetry={onRetry} retrying={retrying} />;
}

/** A refresh failed while older data is still on screen: say so, keep the data, offer a retry. */
export function StaleNotice({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div
      role="status"
      className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-warning-line bg-warning-soft px-4 py-2 text-sm text-warning-fg"
    >
      <p>Could not refresh. {asSentence(errorMessage(error))} Showing the last known state.</p>
      <button
        type="button"
        onClick={onRetry}
        className="rounded-md px-2 py-1 font-medium underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-focus"
      >
        Retry now
      </button>
    </div>
  );
}
