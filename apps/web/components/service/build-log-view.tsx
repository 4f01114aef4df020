"use client";

import { useLayoutEffect, useRef, useState } from "react";
import { parseAnsi } from "@/lib/ansi";
import type { BuildLogLine } from "@/lib/build-log-store";

const ROW_PX = 20;
const OVERSCAN = 30;
const STICK_PX = 24;

function Row({ line }: { line: BuildLogLine }) {
  const tone = line.stream === "stderr" ? "text-red-300" : line.stream === "system" ? "text-indigo-300" : "text-slate-200";
  return (
    <div data-stream={line.stream} data-seq={line.seq} className={`h-5 overflow-hidden whitespace-pre ${tone}`}>
      {parseAnsi(line.text).map((s, i) => (
        <span key={i} className={s.className}>
          {s.text}
        </span>
      ))}
    </div>
  );
}

/**
 * A virtualised log: only the rows in view (plus a margin) are in the DOM, so 100k lines
 * scroll as smoothly as 100. Follows the tail unless the user scrolled up.
 */
export function BuildLogView({ lines, version, label }: { lines: BuildLogLine[]; version: number; label: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(384);
  const [follow, setFollow] = useState(true);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    setHeight(el.clientHeight);
    if (follow) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [version, follow, lines.length]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < STICK_PX);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_PX) - OVERSCAN);
  const last = Math.min(lines.length, Math.ceil((scrollTop + height) / ROW_PX) + OVERSCAN);
  const visible = lines.slice(first, last);

  return (
    <div className="relative">
      <div
        ref={scroller}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label={label}
        data-testid="build-log"
        data-lines={lines.length}
        className="h-96 overflow-auto rounded-b-lg bg-slate-950 px-4 py-3 font-mono text-xs leading-5 focus-visible:outline-2 focus-visible:outline-indigo-500"
      >
        {lines.length === 0 ? (
          <p className="text-slate-500">No build output yet.</p>
        ) : (
          <div style={{ height: lines.length * ROW_PX, position: "relative" }}>
            <div style={{ position: "absolute", top: first * ROW_PX, left: 0, right: 0 }}>
              {visible.map((line) => (
                <Row key={line.seq} line={line} />
              ))}
            </div>
          </div>
        )}
      </div>
      {!follow && (
        <button type="button" onClick={() => setFollow(true)} className="absolute right-4 bottom-3 rounded-md bg-slate-700 px-2 py-1 text-xs text-white">
          Jump to latest
        </button>
      )}
    </div>
  );
}
