"use client";

import { useId } from "react";
import type { LogStream } from "@/lib/log-buffer";
import { Button } from "../ui/button";
import { inputClass } from "../ui/field";

export const SINCE_CHOICES = [
  { value: "", label: "Last 200 lines" },
  { value: "900", label: "Last 15 minutes" },
  { value: "3600", label: "Last hour" },
  { value: "86400", label: "Last 24 hours" },
] as const;

export interface LogToolbarState {
  query: string;
  stream: LogStream | "all";
  /** Seconds back from now, "" for the last 200 lines. */
  sinceSeconds: string;
  paused: boolean;
  /** A cluster service's task to show ("" = every task). */
  task: string;
}

/** Filter, stream, since, pause/follow and download controls of the runtime log view. */
export function LogToolbar({
  state,
  onChange,
  onDownload,
  canDownload,
  tasks,
}: {
  state: LogToolbarState;
  onChange: (next: Partial<LogToolbarState>) => void;
  onDownload: () => void;
  canDownload: boolean;
  /** A cluster service's tasks seen in the lines (none: no task choice). */
  tasks: { id: string; label: string }[];
}) {
  const id = useId();
  const small = `${inputClass()} py-1 sm:w-44`;
  return (
    <div className="flex flex-wrap items-end gap-2 border-b border-line px-5 py-3">
      <div className="w-full sm:w-auto sm:min-w-40 sm:flex-1">
        <label htmlFor={`${id}-q`} className="sr-only">
          Filter logs
        </label>
        <input
          id={`${id}-q`}
          type="search"
          placeholder="Filter lines…"
          value={state.query}
          onChange={(e) => onChange({ query: e.target.value })}
          className={`${inputClass()} py-1`}
        />
      </div>
      <label htmlFor={`${id}-s`} className="sr-only">
        Stream
      </label>
      <select
        id={`${id}-s`}
        value={state.stream}
        onChange={(e) => onChange({ stream: e.target.value as LogToolbarState["stream"] })}
        className={small}
      >
        <option value="all">stdout + stderr</option>
        <option value="stdout">stdout only</option>
        <option value="stderr">stderr only</option>
      </select>
      {(tasks.length > 0 || state.task) && (
        <>
          <label htmlFor={`${id}-k`} className="sr-only">
            Task
          </label>
          <select id={`${id}-k`} value={state.task} onChange={(e) => onChange({ task: e.target.value })} className={small}>
            <option value="">Every task</option>
            {tasks.map((t) => (
              <option key={t.id} value={t.id}>
                {t.label}
              </option>
            ))}
            {state.task && !tasks.some((t) => t.id === state.task) && <option value={state.task}>Task {state.task.slice(0, 12)}</option>}
          </select>
        </>
      )}
      <label htmlFor={`${id}-t`} className="sr-only">
        Since
      </label>
      <select id={`${id}-t`} value={state.sinceSeconds} onChange={(e) => onChange({ sinceSeconds: e.target.value })} className={small}>
        {SINCE_CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <Button variant="secondary" aria-pressed={state.paused} onClick={() => onChange({ paused: !state.paused })}>
        {state.paused ? "Resume" : "Pause"}
      </Button>
      <Button variant="secondary" onClick={onDownload} disabled={!canDownload}>
        Download
      </Button>
    </div>
  );
}
