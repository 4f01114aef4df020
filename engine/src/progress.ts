/**
 * Reads the engine's JSON-lines progress stream (image pull, image build). The engine
 * reports failures inside the stream with HTTP 200, so the stream must be read to the end
 * and its `error` / `errorDetail` fields checked. Malformed lines are kept as text, never
 * thrown from inside a stream handler. BuildKit builds send their progress as
 * `moby.buildkit.trace` events, decoded by `buildkit`.
 */
import type { BuildkitStatusDecoder } from "./buildkit/status.ts";

export interface ProgressResult {
  /** First error the engine reported, or null. */
  error: string | null;
  /** Human-readable output (build steps, pull statuses), at most `maxLines`, newest kept. */
  lines: string[];
}

interface ProgressEvent {
  aux?: unknown;
  stream?: unknown;
  status?: unknown;
  id?: unknown;
  error?: unknown;
  errorDetail?: { message?: unknown };
}

function describe(event: ProgressEvent): string[] {
  if (typeof event.stream === "string") return event.stream.split("\n").filter((l) => l.trim() !== "");
  if (typeof event.status === "string") return [typeof event.id === "string" ? `${event.id}: ${event.status}` : event.status];
  return [];
}

function errorOf(event: ProgressEvent): string | null {
  if (typeof event.errorDetail?.message === "string" && event.errorDetail.message !== "") return event.errorDetail.message;
  if (typeof event.error === "string" && event.error !== "") return event.error;
  return null;
}

/** Called with every human-readable line as it arrives (build logs streamed live). */
export type ProgressLineHandler = (line: string, isError: boolean) => void;

export interface ReadProgressOptions {
  /** Lines kept in the result (default 200, newest kept). */
  maxLines?: number;
  onLine?: ProgressLineHandler;
  /** Applied to every line before it is handed out or kept (e.g. hides build secrets). */
  mask?: (line: string) => string;
  /** Decoder for BuildKit's trace events (BuildKit builds only). */
  buildkit?: BuildkitStatusDecoder;
}

export const BUILDKIT_TRACE_ID = "moby.buildkit.trace";

export function readProgress(stream: NodeJS.ReadableStream, options: ReadProgressOptions = {}): Promise<ProgressResult> {
  const { maxLines = 200, onLine, mask = (line: string) => line, buildkit } = options;
  return new Promise<ProgressResult>((resolve, reject) => {
    const lines: string[] = [];
    let error: string | null = null;
    let buffered = "";
    let done = false;

    const keep = (raw: string, isError = false): void => {
      const line = mask(raw.trimEnd());
      onLine?.(line, isError);
      lines.push(line);
      if (lines.length > maxLines) lines.shift();
    };
    const handle = (raw: string): void => {
      if (raw.trim() === "") return;
      let event: ProgressEvent;
      try {
        event = JSON.parse(raw) as ProgressEvent;
      } catch (parseError) {
        keep(`(unparsed engine output: ${raw.slice(0, 200)}; ${String(parseError)})`);
        return;
      }
      if (buildkit !== undefined && event.id === BUILDKIT_TRACE_ID && typeof event.aux === "string") {
        let decoded: ReturnType<BuildkitStatusDecoder["decode"]>;
        try {
          decoded = buildkit.decode(event.aux);
        } catch (decodeError) {
          keep(`(undecodable BuildKit progress: ${String(decodeError)})`);
          return;
        }
        for (const line of decoded) keep(line.text, line.isError);
        return;
      }
      const failure = errorOf(event);
      if (failure !== null && error === null) error = mask(failure);
      for (const line of describe(event)) keep(line);
      if (failure !== null) keep(`ERROR: ${failure}`, true);
    };
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      if (err) return reject(err);
      handle(buffered);
      for (const line of buildkit?.flush() ?? []) keep(line.text, line.isError);
      resolve({ error, lines });
    };

    stream.on("data", (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf("\n");
      while (newline !== -1) {
        handle(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf("\n");
      }
    });
    stream.on("end", () => finish());
    stream.on("error", (err: Error) => finish(err));
    stream.on("close", () => finish(new Error("the engine closed the progress stream before it ended")));
  });
}
