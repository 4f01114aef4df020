"use client";

import { useLayoutEffect, useRef, useState } from "react";
import { formatClock } from "@/lib/format";
import { MAX_LOG_LINES } from "@/lib/log-buffer";
import { useLiveLogs, type LogStreamState } from "@/lib/use-live-logs";
import { Button } from "../ui/button";

const STICK_THRESHOLD_PX = 24;

function StreamState({ stream }: { stream: LogStreamState }) {
  const live = stream.phase === "live";
  return (
    <p role="status" className="flex items-center gap-2 text-xs text-slate-500" data-testid="log-stream-state" data-phase={stream.phase}>
      <span aria-hidden className={`size-2 rounded-full ${live ? "bg-emerald-500" : stream.phase === "error" ? "bg-red-500" : "bg-amber-400"}`} />
      {live ? "Live" : (stream.message ?? "Connecting…")}
    </p>
  );
}

/** Live runtime logs: monospace, stderr tinted, follows the tail unless the user scrolled up. */
export function LogPanel({ serviceId, restartKey }: { serviceId: string; restartKey: string }) {
  const { buffer, stream } = useLiveLogs(serviceId, restartKey);
  const scroller = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [buffer.lines, follow]);

  const onScroll = () => {
    const el = scroller.current;
    if (el) setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < STICK_THRESHOLD_PX);
  };

  return (
    <section aria-labelledby="logs-heading" className="rounded-lg border border-slate-200 bg-white shadow-xs">
      <div className="flex flex-wrap items-center justify-between gap-3 border-b border-slate-200 px-5 py-3">
        <div className="flex items-center gap-4">
          <h2 id="logs-heading" className="text-base font-semibold text-slate-900">
            Logs
          </h2>
          <StreamState stream={stream} />
        </div>
        <div className="flex items-center gap-3 text-xs text-slate-500">
          <span>{buffer.lines.length >= MAX_LOG_LINES ? `Newest ${MAX_LOG_LINES.toLocaleString()} lines` : `${buffer.lines.length.toLocaleString()} lines`}</span>
          {!follow && (
            <Button variant="secondary" onClick={() => setFollow(true)}>
              Jump to latest
            </Button>
          )}
        </div>
      </div>
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Runtime logs"
        data-testid="log-panel"
        className="h-96 overflow-auto rounded-b-lg bg-slate-950 px-4 py-3 font-mono text-xs leading-5 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        {buffer.lines.length === 0 ? (
          <p className="text-slate-500">No log lines yet. Lines appear here as the running container prints them.</p>
        ) : (
          buffer.lines.map((line) => (
            <div key={line.id} data-stream={line.stream} className={`whitespace-pre-wrap break-all ${line.stream === "stderr" ? "bg-red-950/40 text-red-300" : "text-slate-200"}`}>
              <span className="mr-3 text-slate-500 select-none">{formatClock(line.time)}</span>
              {line.text}
            </div>
          ))
        )}
      </div>
    </section>
  );
}
