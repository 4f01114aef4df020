/**
 * Log text handling. PURE: split byte chunks into lines (across chunk boundaries and
 * inside multi-byte UTF-8 characters), parse the engine's leading RFC3339 timestamp, and
 * demultiplex a buffered (non-followed) log answer.
 */
import { StringDecoder } from "node:string_decoder";
import type { LogLine } from "./port-types.ts";

/** Feeds bytes in, hands complete lines out (without the newline and a trailing CR). */
export class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private pending = "";

  constructor(private readonly onLine: (text: string) => void) {}

  push(chunk: Buffer | string): void {
    const text = this.pending + (typeof chunk === "string" ? chunk : this.decoder.write(chunk));
    // One pass with a moving start: no re-slicing of the rest per line (a chunk can hold thousands).
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      this.emit(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    this.pending = start === 0 ? text : text.slice(start);
  }

  /** Emit a last line that had no newline (call once the source ended). */
  flush(): void {
    this.pending += this.decoder.end();
    if (this.pending !== "") this.emit(this.pending);
    this.pending = "";
  }

  private emit(line: string): void {
    this.onLine(line.endsWith("\r") ? line.slice(0, -1) : line);
  }
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) ?/;

/** `2024-05-01T10:00:00.123456789Z hello` -> { time, text }. Without a timestamp, time is "". */
export function parseTimestampedLine(raw: string, stream: LogLine["stream"]): LogLine {
  const match = RFC3339.exec(raw);
  if (!match?.[1]) return { stream, time: "", text: raw };
  return { stream, time: match[1], text: raw.slice(match[0].length) };
}

export interface LogFrame {
  stream: LogLine["stream"];
  payload: Buffer;
}

/**
 * Split a multiplexed log answer (Tty false) into frames: each frame is an 8-byte header
 * (stream type, 3 zero bytes, big-endian length) and its payload. Bytes that do not form
 * a valid header are returned as one stdout frame, as the engine's own demuxer does.
 */
export function demuxFrames(buffer: Buffer): LogFrame[] {
  const frames: LogFrame[] = [];
  const demuxer = new FrameDemuxer((stream, payload) => frames.push({ stream, payload }));
  demuxer.push(buffer);
  const rest = demuxer.leftover();
  if (rest.length > 0) frames.push({ stream: "stdout", payload: rest });
  return frames;
}

/** Text lines of a buffered multiplexed answer, stdout and stderr each split on their own. */
export function linesOfFrames(frames: LogFrame[]): string[] {
  const lines: string[] = [];
  const splitters = { stdout: new LineSplitter((l) => lines.push(l)), stderr: new LineSplitter((l) => lines.push(l)) };
  for (const frame of frames) splitters[frame.stream].push(frame.payload);
  splitters.stdout.flush();
  splitters.stderr.flush();
  return lines;
}

/** The empty rest, shared: a chunk usually ends on a frame's end (one per line in a long read). */
const NO_BYTES = Buffer.alloc(0);

/**
 * Demultiplexes a followed log stream chunk by chunk with a moving offset (no copy of the
 * rest per frame, unlike docker-modem's demuxStream, which made a 100k-line flood quadratic
 * per chunk). A header that is not a valid frame switches to passing everything on as
 * stdout (a TTY container's stream is not multiplexed), as the engine's own demuxer does.
 */
export class FrameDemuxer {
  private rest: Buffer = NO_BYTES;
  private raw = false;

  constructor(private readonly onFrame: (stream: LogLine["stream"], payload: Buffer) => void) {}

  push(chunk: Buffer): void {
    if (this.raw) return this.onFrame("stdout", chunk);
    const buffer = this.rest.length === 0 ? chunk : Buffer.concat([this.rest, chunk]);
    let offset = 0;
    while (offset + 8 <= buffer.length) {
      const type = buffer.readUInt8(offset);
      if (type > 2) {
        this.raw = true;
        this.rest = NO_BYTES;
        return this.onFrame("stdout", buffer.subarray(offset));
      }
      const length = buffer.readUInt32BE(offset + 4);
      if (offset + 8 + length > buffer.length) break;
      this.onFrame(type === 2 ? "stderr" : "stdout", buffer.subarray(offset + 8, offset + 8 + length));
      offset += 8 + length;
    }
    this.rest = offset === buffer.length ? NO_BYTES : Buffer.from(buffer.subarray(offset));
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  leftover(): Buffer {
    return this.rest;
  }
}
