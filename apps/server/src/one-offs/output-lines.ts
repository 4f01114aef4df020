/**
 * A container's output chunks -> whole lines per stream, secrets masked (a value split across
 * two chunks is still whole in its line). A partial last line waits for its newline, or the end.
 */
import { redact } from "../secrets/redaction.ts";

export type OutputStream = "stdout" | "stderr";
const MAX_PARTIAL = 8192;

export class OutputLines {
  private readonly partial: Record<OutputStream, string> = { stdout: "", stderr: "" };

  constructor(
    private readonly needles: string[],
    private readonly onLine: (stream: OutputStream, line: string) => void,
  ) {}

  push(stream: OutputStream, text: string): void {
    const lines = (this.partial[stream] + text).split("\n");
    this.partial[stream] = lines.pop() ?? "";
    for (const line of lines) this.emit(stream, line);
    // A line without an end (a progress bar) is passed on in pieces rather than held forever.
    if (this.partial[stream].length > MAX_PARTIAL) {
      this.emit(stream, this.partial[stream]);
      this.partial[stream] = "";
    }
  }

  end(): void {
    for (const stream of ["stdout", "stderr"] as const) {
      if (this.partial[stream] !== "") this.emit(stream, this.partial[stream]);
      this.partial[stream] = "";
    }
  }

  private emit(stream: OutputStream, line: string): void {
    this.onLine(stream, redact(line.replace(/\r$/, ""), this.needles));
  }
}
