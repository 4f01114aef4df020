/**
 * Turns BuildKit's progress (the Engine API's `{"id":"moby.buildkit.trace","aux":<base64
 * StatusResponse>}` lines) into build-log lines in the style of `--progress=plain`: a step's
 * name when it starts, `CACHED` / `DONE 0.3s` / `ERROR ...` when it ends, and its RUN output
 * line by line. The engine re-sends a vertex on every change, so each is announced once.
 * Field numbers from moby/buildkit api/services/control/control.proto. PURE (stateful per build).
 */
import { bytesFields, decodeFields, hasField, stringField, varintField, type WireField } from "./wire.ts";

// StatusResponse
const STATUS_VERTEXES = 1;
const STATUS_LOGS = 3;
// Vertex
const VERTEX_DIGEST = 1;
const VERTEX_NAME = 3;
const VERTEX_CACHED = 4;
const VERTEX_STARTED = 5;
const VERTEX_COMPLETED = 6;
const VERTEX_ERROR = 7;
// VertexLog
const LOG_VERTEX = 1;
const LOG_MSG = 4;
// google.protobuf.Timestamp
const TS_SECONDS = 1;
const TS_NANOS = 2;

export interface BuildkitLine {
  text: string;
  isError: boolean;
}

interface VertexState {
  step: number;
  announced: boolean;
  finished: boolean;
  /** Output not yet ended by a newline. */
  partial: string;
}

function timestampMs(fields: WireField[], field: number): number | null {
  const raw = bytesFields(fields, field)[0];
  if (raw === undefined) return null;
  const ts = decodeFields(raw);
  return Number(varintField(ts, TS_SECONDS)) * 1000 + Number(varintField(ts, TS_NANOS)) / 1e6;
}

export class BuildkitStatusDecoder {
  private readonly vertexes = new Map<string, VertexState>();

  private state(digest: string): VertexState {
    let state = this.vertexes.get(digest);
    if (state === undefined) {
      state = { step: this.vertexes.size + 1, announced: false, finished: false, partial: "" };
      this.vertexes.set(digest, state);
    }
    return state;
  }

  /** Lines for one base64 `aux` payload. Throws on a malformed message. */
  decode(auxBase64: string): BuildkitLine[] {
    const lines: BuildkitLine[] = [];
    const message = decodeFields(Buffer.from(auxBase64, "base64"));
    // Announce new steps, then their output, then how they ended (one message may hold all three).
    const vertexes = bytesFields(message, STATUS_VERTEXES).map((raw) => decodeFields(raw));
    for (const fields of vertexes) lines.push(...this.announce(fields));
    for (const raw of bytesFields(message, STATUS_LOGS)) lines.push(...this.log(decodeFields(raw)));
    for (const fields of vertexes) lines.push(...this.finish(fields));
    return lines;
  }

  /** Output still waiting for its newline (at the end of the build). */
  flush(): BuildkitLine[] {
    return [...this.vertexes.values()].flatMap((state) => this.flushOne(state));
  }

  private announce(fields: WireField[]): BuildkitLine[] {
    const state = this.state(stringField(fields, VERTEX_DIGEST));
    const name = stringField(fields, VERTEX_NAME);
    if (state.announced || name === "") return [];
    state.announced = true;
    return [{ text: `#${state.step} ${name}`, isError: false }];
  }

  private finish(fields: WireField[]): BuildkitLine[] {
    const state = this.state(stringField(fields, VERTEX_DIGEST));
    const lines: BuildkitLine[] = [];
    if (state.finished) return lines;
    const error = stringField(fields, VERTEX_ERROR);
    const cached = varintField(fields, VERTEX_CACHED) !== 0n;
    if (error !== "") {
      state.finished = true;
      lines.push(...this.flushOne(state), { text: `#${state.step} ERROR: ${error}`, isError: true });
    } else if (cached) {
      state.finished = true;
      lines.push({ text: `#${state.step} CACHED`, isError: false });
    } else if (hasField(fields, VERTEX_COMPLETED)) {
      state.finished = true;
      const started = timestampMs(fields, VERTEX_STARTED);
      const completed = timestampMs(fields, VERTEX_COMPLETED);
      const took = started !== null && completed !== null ? ` ${((completed - started) / 1000).toFixed(1)}s` : "";
      lines.push(...this.flushOne(state), { text: `#${state.step} DONE${took}`, isError: false });
    }
    return lines;
  }

  private log(fields: WireField[]): BuildkitLine[] {
    const state = this.state(stringField(fields, LOG_VERTEX));
    const text = state.partial + (bytesFields(fields, LOG_MSG)[0]?.toString("utf8") ?? "");
    const parts = text.split(/\r?\n/);
    state.partial = parts.pop() ?? "";
    return parts.filter((p) => p.trim() !== "").map((p) => ({ text: `#${state.step} ${p}`, isError: false }));
  }

  private flushOne(state: VertexState): BuildkitLine[] {
    if (state.partial === "") return [];
    const line = { text: `#${state.step} ${state.partial}`, isError: false };
    state.partial = "";
    return [line];
  }
}
