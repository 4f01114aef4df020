/** A growing build log kept outside React state (100k lines without copying arrays). */

export interface BuildLogLine {
  seq: number;
  stream: "stdout" | "stderr" | "system";
  text: string;
  time: string;
}

export class BuildLogStore {
  readonly lines: BuildLogLine[] = [];

  constructor(readonly deploymentId: string | null = null) {}

  /** The last seq held (-1 when empty): sent on resubscribe so the server resumes after it. */
  get lastSeq(): number {
    return this.lines[this.lines.length - 1]?.seq ?? -1;
  }

  /** Appends lines in order, skipping any already held. Returns how many were added. */
  append(incoming: BuildLogLine[]): number {
    let added = 0;
    for (const line of incoming) {
      if (line.seq <= this.lastSeq) continue;
      this.lines.push(line);
      added += 1;
    }
    return added;
  }
}
