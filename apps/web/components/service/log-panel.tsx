"use client";

import { useEffect, useMemo, useState } from "react";
import { formatClock } from "@/lib/format";
import { filterLogLines, logLinesAsText, MAX_LOG_LINES, tasksOfLines, type LogLine } from "@/lib/log-buffer";
import { useLiveLogs, type LogStreamState } from "@/lib/use-live-logs";
import { LOG_ROW_CLASS, VirtualLog } from "../ui/virtual-log";
import { LogToolbar, type LogToolbarState } from "./log-toolbar";

function StreamState({ stream }: { stream: LogStreamState }) {
  const live = stream.phase === "live";
  return (
    <p role="status" className="flex items-center gap-2 text-xs text-fg-subtle" data-testid="log-stream-state" data-phase={stream.phase}>
      <span
        aria-hidden
        className={`size-2 rounded-full ${live ? "bg-emerald-500" : stream.phase === "error" ? "bg-red-500" : "bg-amber-400"}`}
      />
      {live ? "Live" : (stream.message ?? "Connecting…")}
    </p>
  );
}

function Row({ line, query }: { line: LogLine; query: string }) {
  const at = query ? line.text.toLowerCase().indexOf(query.toLowerCase()) : -1;
  return (
    <div
      data-stream={line.stream}
      className={`${LOG_ROW_CLASS} ${line.stream === "stderr" ? "bg-red-950/40 text-red-300" : "text-slate-200"}`}
    >
      <span className="mr-3 text-slate-400 select-none">{formatClock(line.time)}</span>
      {line.task !== undefined && (
        <span className="mr-3 text-sky-300 select-none" data-testid="log-line-task">
          {line.task}
        </span>
      )}
      {at < 0 ? (
        line.text
      ) : (
        <>
          {line.text.slice(0, at)}
          <mark className="rounded-sm bg-amber-300 text-slate-950">{line.text.slice(at, at + query.length)}</mark>
          {line.text.slice(at + query.length)}
        </>
      )}
    </div>
  );
}

function download(lines: readonly LogLine[], serviceId: string) {
  const url = URL.createObjectURL(new Blob([logLinesAsText(lines)], { type: "text/plain" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `logs-${serviceId.slice(0, 8)}-${new Date().toISOString().replace(/[:.]/g, "-")}.txt`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Live runtime logs: filter (text, stream), since-time, pause/follow and download, over a
 * virtualised list that stays responsive at 100k lines.
 */
export function LogPanel({ serviceId, restartKey, task = "" }: { serviceId: string; restartKey: string; task?: string }) {
  const [state, setState] = useState<LogToolbarState>({ query: "", stream: "all", sinceSeconds: "", paused: false, task });
  // A task picked elsewhere (the Placement panel's "Logs" link) while this tab stays mounted.
  useEffect(() => setState((s) => (s.task === task ? s : { ...s, task })), [task]);
  // The start time is fixed when the choice is made, so re-renders do not re-subscribe.
  const [since, setSince] = useState<number | undefined>(undefined);
  const { buffer, version, stream } = useLiveLogs(serviceId, restartKey, since);
  const [frozen, setFrozen] = useState<{ lines: LogLine[]; version: number } | null>(null);
  const [follow, setFollow] = useState(true);

  const change = (next: Partial<LogToolbarState>) => {
    if (next.sinceSeconds !== undefined)
      setSince(next.sinceSeconds ? Math.floor(Date.now() / 1000) - Number(next.sinceSeconds) : undefined);
    if (next.paused !== undefined) {
      setFrozen(next.paused ? { lines: buffer.lines.slice(), version } : null);
      setFollow(!next.paused);
    }
    setState((s) => ({ ...s, ...next }));
  };
  const source = frozen ?? { lines: buffer.lines, version };
  const shown = useMemo(
    () => filterLogLines(source.lines, state.query, state.stream, state.task),
    [source.lines, source.version, state.query, state.stream, state.task],
  );
  const tasks = useMemo(() => tasksOfLines(source.lines), [source.lines, source.version]);
  const held = buffer.lines.length;
  const count =
    shown.length === held ? `${held.toLocaleString()} lines` : `${shown.length.toLocaleString()} of ${held.toLocaleString()} lines`;

  return (
    <section aria-labelledby="logs-heading" className="rounded-lg border border-line bg-surface shadow-xs">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-line px-5 py-3">
        <div className="flex items-center gap-4">
          <h2 id="logs-heading" className="text-base font-semibold text-fg">
            Logs
          </h2>
          <StreamState stream={stream} />
        </div>
        <p className="text-xs text-fg-subtle" data-testid="log-count">
          {state.paused ? `Paused · ${count}` : held >= MAX_LOG_LINES ? `Newest ${count}` : count}
        </p>
      </div>
      <LogToolbar
        state={state}
        onChange={change}
        onDownload={() => download(shown, serviceId)}
        canDownload={shown.length > 0}
        tasks={tasks}
      />
      <VirtualLog
        rows={shown}
        version={source.version}
        rowKey={(l) => l.id}
        renderRow={(l) => <Row line={l} query={state.query.trim()} />}
        label="Runtime logs"
        testId="log-panel"
        empty={held === 0 ? "No log lines yet. Lines appear here as the running container prints them." : "No line matches the filter."}
        follow={follow}
        onFollowChange={(f) => (state.paused ? f && change({ paused: false }) : setFollow(f))}
      />
    </section>
  );
}
