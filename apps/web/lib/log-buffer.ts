export type LogStream = "stdout" | "stderr";

export interface IncomingLogLine {
  stream: LogStream;
  time: string;
  text: string;
}

export interface LogLine extends IncomingLogLine {
  /** A stable React key, increasing in arrival order. */
  id: number;
}

export interface LogBuffer {
  lines: LogLine[];
  /** time+text of every line kept, to drop the replayed tail after a re-subscribe. */
  seen: Set<string>;
  nextId: number;
}

export const MAX_LOG_LINES = 5_000;

export function emptyLogBuffer(): LogBuffer {
  return { lines: [], seen: new Set(), nextId: 1 };
}

const keyOf = (line: IncomingLogLine) => `${line.time}\u0000${line.text}`;

/** Appends new lines (skipping ones already seen) and keeps only the newest `max`. */
export function appendLogLines(buffer: LogBuffer, incoming: IncomingLogLine[], max = MAX_LOG_LINES): LogBuffer {
  let nextId = buffer.nextId;
  const seen = new Set(buffer.seen);
  const added: LogLine[] = [];
  for (const line of incoming) {
    const key = keyOf(line);
    if (seen.has(key)) continue;
    seen.add(key);
    added.push({ id: nextId++, stream: line.stream, time: line.time, text: line.text });
  }
  if (added.length === 0) return buffer;
  const all = buffer.lines.concat(added);
  const dropped = all.length > max ? all.slice(0, all.length - max) : [];
  for (const line of dropped) seen.delete(keyOf(line));
  return { lines: dropped.length ? all.slice(dropped.length) : all, seen, nextId };
}
