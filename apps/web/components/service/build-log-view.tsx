"use client";

import { parseAnsi } from "@/lib/ansi";
import type { BuildLogLine } from "@/lib/build-log-store";
import { LOG_ROW_CLASS, VirtualLog } from "../ui/virtual-log";

function Row({ line }: { line: BuildLogLine }) {
  const tone = line.stream === "stderr" ? "text-red-300" : line.stream === "system" ? "text-indigo-300" : "text-slate-200";
  return (
    <div data-stream={line.stream} data-seq={line.seq} className={`${LOG_ROW_CLASS} ${tone}`}>
      {parseAnsi(line.text).map((s, i) => (
        <span key={i} className={s.className}>
          {s.text}
        </span>
      ))}
    </div>
  );
}

/** The deployment log (clone, build, release) with ANSI colours, virtualised. */
export function BuildLogView({ lines, version, label }: { lines: BuildLogLine[]; version: number; label: string }) {
  return (
    <VirtualLog
      rows={lines}
      version={version}
      rowKey={(l) => l.seq}
      renderRow={(l) => <Row line={l} />}
      label={label}
      testId="build-log"
      empty="No build output yet."
    />
  );
}
