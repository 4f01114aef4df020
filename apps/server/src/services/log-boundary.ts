import type { LogLine } from "@berth/engine";

/**
 * Where one follower's history meets the shared live stream of its container. PURE.
 *
 * The live stream is attached before the history is read, so every line lies in the history,
 * in the live stream, or in both (written between the attach and the read). The rule: **the
 * history is authoritative up to and including its last timestamp T; the live stream supplies
 * every line after T.** A live line older than T is dropped (either the history has it, or it is
 * older than the history's first line: with `tail` the history is the last N lines as of the
 * read, and a line before them would break the follower's order). Lines AT T are matched one
 * for one (stream and text, as a multiset): the engine stamps each line with nanoseconds, but
 * two lines can share one stamp, so a live line at T that the history also holds is dropped as
 * many times as the history holds it, and a further one at T is a new line (written after the
 * read) and kept. Once a live line after T arrives, or every history line at T was matched, the
 * boundary is passed and everything live is kept.
 * Assumed: one container's lines reach its log in timestamp order (true per stream; stdout and
 * stderr lines written within the same microseconds may be stamped in the other order).
 */
export class HistoryBoundary {
  private readonly last: string;
  private readonly atLast = new Map<string, number>();
  private unmatched = 0;
  passed: boolean;

  /** `history`: the history read, or only its lines at its last timestamp (all that is used). */
  constructor(history: readonly LogLine[]) {
    const last = history[history.length - 1];
    this.last = last ? timeKey(last.time) : "";
    // Nothing in the history: the read saw no line, so every live line came after it.
    this.passed = last === undefined;
    for (let i = history.length - 1; i >= 0 && timeKey(history[i]!.time) === this.last; i--) {
      const id = identity(history[i]!);
      this.atLast.set(id, (this.atLast.get(id) ?? 0) + 1);
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
      if (key < this.last) continue;
      if (key > this.last) {
        this.passed = true;
        kept.push(line);
        continue;
      }
      const id = identity(line);
      const left = this.atLast.get(id) ?? 0;
      if (left === 0) {
        kept.push(line);
        continue;
      }
      this.atLast.set(id, left - 1);
      this.unmatched -= 1;
      if (this.unmatched === 0) this.passed = true;
    }
    return kept;
  }
}

function identity(line: LogLine): string {
  return `${line.stream}\n${line.text}`;
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
 * A history's lines at its last timestamp so far (all HistoryBoundary uses), once `next` is read
 * after the lines whose run was `run`: a long history need not be held whole. PURE. One engine
 * formats every stamp alike, so lines at one time share one time string.
 */
export function lastTimeRun<L extends LogLine>(run: L[], next: readonly L[]): L[] {
  const last = next[next.length - 1];
  if (!last) return run;
  let start = next.length - 1;
  while (start > 0 && next[start - 1]!.time === last.time) start -= 1;
  const tail = next.slice(start);
  return start === 0 && run[0]?.time === last.time ? [...run, ...tail] : tail;
}
