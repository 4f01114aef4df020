/** The runtime log lines a viewer holds, kept outside React state (100k lines without copying). */
export type LogStream = "stdout" | "stderr";

export interface IncomingLogLine {
  stream: LogStream;
  time: string;
  text: string;
  /** A cluster service's line: the task that wrote it (`#2 on node-b`) and its id. */
  task?: string;
  taskId?: string;
}

export interface LogLine extends IncomingLogLine {
  /** A stable React key, increasing in arrival order. */
  id: number;
}

export const MAX_LOG_LINES = 100_000;

const keyOf = (line: IncomingLogLine) => `${line.time}\u0000${line.text}\u0000${line.taskId ?? ""}`;

export class LogBuffer {
  readonly lines: LogLine[] = [];
  /** time+text of every line kept, to drop the replayed tail after a re-subscribe. */
  private readonly seen = new Set<string>();
  private nextId = 1;

  constructor(private readonly max = MAX_LOG_LINES) {}

  get seenCount(): number {
    return this.seen.size;
  }

  /** Appends new lines (skipping ones already held); keeps only the newest `max`. Returns how many were added. */
  append(incoming: readonly IncomingLogLine[]): number {
    let added = 0;
    for (const line of incoming) {
      const key = keyOf(line);
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const task = line.taskId === undefined ? {} : { task: line.task, taskId: line.taskId };
      this.lines.push({ id: this.nextId++, stream: line.stream, time: line.time, text: line.text, ...task });
      added += 1;
    }
    const over = this.lines.length - this.max;
    if (over > 0) for (const dropped of this.lines.splice(0, over)) this.seen.delete(keyOf(dropped));
    return added;
  }
}

/**
 * Lines whose text contains `query` (case-insensitive) from the chosen streams (and, for a
 * cluster service, the chosen task: "" for all); all when nothing narrows them.
 */
export function filterLogLines(lines: readonly LogLine[], query: string, stream: LogStream | "all", taskId = ""): readonly LogLine[] {
  const needle = query.trim().toLowerCase();
  if (!needle && stream === "all" && !taskId) return lines;
  return lines.filter(
    (l) =>
      (stream === "all" || l.stream === stream) && (!taskId || l.taskId === taskId) && (!needle || l.text.toLowerCase().includes(needle)),
  );
}

/** The tasks the lines came from (a cluster service's), in the order first seen. */
export function tasksOfLines(lines: readonly LogLine[]): { id: string; label: string }[] {
  const seen = new Map<string, string>();
  for (const l of lines) if (l.taskId !== undefined && !seen.has(l.taskId)) seen.set(l.taskId, l.task ?? l.taskId);
  return [...seen].map(([id, label]) => ({ id, label }));
}

/** The lines as a plain-text file: `<time> <stream> <text>` per line. */
export function logLinesAsText(lines: readonly LogLine[]): string {
  return lines.map((l) => `${l.time} ${l.stream}${l.task === undefined ? "" : ` [${l.task}]`} ${l.text}\n`).join("");
}
