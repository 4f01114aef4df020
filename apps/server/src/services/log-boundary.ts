import type { LogLine } from "@berth/engine";

/**
 * Where one follower's history meets the shared live stream of its container. PURE.
 *
 * The live stream is attached before the history is read, and both read the container's log in
 * the order it was written, so every line lies in the history, in the live stream, or in both
 * (written between the attach and the read). Each stream (stdout, stderr) is in timestamp order
 * in the log, but the two are not in order with each other: the engine copies each stream on its
 * own and stamps a line when it reads it, so a stderr line can be written before an older stdout
 * line. The boundary is therefore kept **per stream**: the history is authoritative up to and
 * including its stream's last timestamp T; the live stream supplies every line of that stream
 * after T. A live line older than its stream's T is dropped (either the history has it, or it is
 * older than the history's first line: with `tail` the history is the last N lines as of the
 * read, and a line before them would break the follower's order). A stream with no line in the
 * history takes the history's first time as its T. Lines AT T are matched one for one (text, as
 * a multiset): the engine stamps each line with nanoseconds, but two lines can share one stamp,
 * so a live line at T that the history also holds is dropped as many times as the history holds
 * it, and a further one at T is a new line (written after the read) and kept.
 * The boundary is passed, and everything live is kept, once a live line is after its stream's T
 * (it was written after the read, and the live stream is in the log's order, so every later line
 * is too) or once every history line at its stream's T was matched.
 */
export class HistoryBoundary {
  private readonly streams = new Map<LogLine["stream"], StreamBoundary>();
  /** T for a stream with no line in the history: the history's first time. */
  private readonly floor: string;
  private unmatched = 0;
  passed: boolean;

  /** `history`: the history read, or only each stream's lines at its last timestamp (all that is used). */
  constructor(history: readonly LogLine[]) {
    // Nothing in the history: the read saw no line, so every live line came after it.
    this.passed = history.length === 0;
    this.floor = history.length > 0 ? timeKey(history[0]!.time) : "";
    for (let i = history.length - 1; i >= 0; i--) {
      const line = history[i]!;
      const key = timeKey(line.time);
      let boundary = this.streams.get(line.stream);
      if (!boundary) {
        boundary = { last: key, atLast: new Map() };
        this.streams.set(line.stream, boundary);
      }
      if (key !== boundary.last) continue;
      boundary.atLast.set(line.text, (boundary.atLast.get(line.text) ?? 0) + 1);
      this.unmatched += 1;
    }
  }

  /** The live lines this follower still needs, in order. */
  admit(lines: readonly LogLine[]): LogLine[] {
    if (this.passed) return lines as LogLine[];
    const kept: LogLine[] = [];
    for (const line of lines) {
      if (this.passed) {
        kept.push(line);
        continue;
      }
      const key = timeKey(line.time);
      const boundary = this.streams.get(line.stream) ?? { last: this.floor, atLast: new Map<string, number>() };
      if (key < boundary.last) continue;
      if (key > boundary.last) {
        this.passed = true;
        kept.push(line);
        continue;
      }
      const left = boundary.atLast.get(line.text) ?? 0;
      if (left === 0) {
        kept.push(line);
        continue;
      }
      boundary.atLast.set(line.text, left - 1);
      this.unmatched -= 1;
      if (this.unmatched === 0) this.passed = true;
    }
    return kept;
  }
}

/** One stream's side of the boundary: its last time in the history, and its lines at that time. */
interface StreamBoundary {
  last: string;
  atLast: Map<string, number>;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A key that sorts like the time: the engine writes RFC3339Nano, which drops trailing zeros of
 * the fraction (`…:05.1Z` after `…:05.09Z`), so the strings themselves do not compare. A line
 * without a timestamp ("") sorts first.
 */
export function timeKey(time: string): string {
  const match = RFC3339.exec(time);
  if (!match) return "";
  const seconds = Date.parse(`${match[1]}${match[3]}`) / 1000;
  return `${String(seconds).padStart(12, "0")}.${(match[2] ?? "").padEnd(9, "0")}`;
}

/**
 * What HistoryBoundary uses of a history read in chunks, so a long history need not be held
 * whole: its first line and each stream's lines at that stream's last timestamp.
 */
export class HistoryEdges<L extends LogLine> {
  private first: L | undefined;
  private readonly runs = new Map<LogLine["stream"], L[]>();

  add(lines: readonly L[]): void {
    this.first ??= lines[0];
    for (const stream of ["stdout", "stderr"] as const) {
      const mine = lines.filter((line) => line.stream === stream);
      if (mine.length > 0) this.runs.set(stream, lastTimeRun(this.runs.get(stream) ?? [], mine));
    }
  }

  /** The first line, then each stream's last run: the boundary built from these equals one built from the whole history. */
  lines(): L[] {
    const runs = [...this.runs.values()].flat();
    return this.first === undefined || runs.includes(this.first) ? runs : [this.first, ...runs];
  }
}

/**
 * A stream's lines at its last timestamp so far, once `next` is read after the lines whose run
 * was `run`. PURE. One engine formats every stamp alike, so lines at one time share one time
 * string.
 */
function lastTimeRun<L extends LogLine>(run: L[], next: readonly L[]): L[] {
  const last = next[next.length - 1];
  if (!last) return run;
  let start = next.length - 1;
  while (start > 0 && next[start - 1]!.time === last.time) start -= 1;
  const tail = next.slice(start);
  return start === 0 && run[0]?.time === last.time ? [...run, ...tail] : tail;
}
