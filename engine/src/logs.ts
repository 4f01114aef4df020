/**
 * Reading container logs: follow live (demultiplexed, split into timestamped lines), read a
 * range once (a viewer's history), and fetch the last lines of a container (for health-gate failures).
 */
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";
import { managedAnswer } from "./managed-access.ts";
import { demuxFrames, FrameDemuxer, LineSplitter, linesOfFrames, parseTimestampedLine } from "./log-lines.ts";
import type { FollowLogsOptions, LogLine } from "./port-types.ts";
import type { StreamedAnswer } from "./streamed-answer.ts";

export const DEFAULT_TAIL = 100;

function assertValidLogOptions(options: FollowLogsOptions, ref: string): void {
  const bad = (message: string): never => {
    throw new EngineError({ code: "INVALID", operation: "follow logs", resource: ref, message: `follow logs ${ref}: ${message}` });
  };
  if (options.tail !== undefined && !(Number.isInteger(options.tail) && options.tail >= 0)) bad("tail must be a whole number >= 0");
  for (const key of ["since", "until"] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) bad(`${key} must be unix seconds >= 0`);
  }
  if (options.stdout === false && options.stderr === false) bad("at least one of stdout and stderr must be included");
}

/** The engine's log query for a range (timestamps always: lines are parsed by them). */
function logQuery(options: FollowLogsOptions) {
  return {
    stdout: options.stdout ?? true,
    stderr: options.stderr ?? true,
    timestamps: true,
    tail: options.tail ?? DEFAULT_TAIL,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.until === undefined ? {} : { until: options.until }),
  };
}

/**
 * The engine's log answer for a container (multiplexed frames, or raw bytes for a TTY), opened
 * once Berth is proven to manage it.
 */
function logAnswer(
  api: EngineApi,
  ref: string,
  operation: string,
  query: ReturnType<typeof logQuery> & { follow: boolean },
  signal?: AbortSignal,
): Promise<StreamedAnswer> {
  return managedAnswer(
    api,
    ref,
    operation,
    (abortSignal) =>
      api.streamed(
        `/containers/${encodeURIComponent(ref)}/logs`,
        query,
        signal === undefined ? abortSignal : AbortSignal.any([abortSignal, signal]),
      ),
    (answer) => answer.stop(),
  );
}

function lineSplitter(stream: LogLine["stream"], emit: (line: LogLine) => void): LineSplitter {
  return new LineSplitter((raw) => emit(parseTimestampedLine(raw, stream)));
}

/**
 * Follow a managed container's logs. onLine gets every complete line; onEnd is called
 * exactly once: when the stream ends (container stopped or removed), errors, or is stopped
 * with the returned function (then without an error, and no line is delivered after it).
 */
export async function followLogs(
  api: EngineApi,
  containerRef: string,
  options: FollowLogsOptions,
  onLine: (line: LogLine) => void,
  onEnd?: (err?: Error) => void,
): Promise<() => void> {
  assertValidLogOptions(options, containerRef);
  const source = await logAnswer(api, containerRef, "follow logs", { ...logQuery(options), follow: true });

  let stopped = false;
  let ended = false;
  const emit = (line: LogLine): void => {
    if (!stopped) onLine(line);
  };
  const out = lineSplitter("stdout", emit);
  const err = lineSplitter("stderr", emit);
  const end = (error?: Error): void => {
    if (ended) return;
    ended = true;
    if (!stopped) {
      out.flush();
      err.flush();
    }
    onEnd?.(error);
  };

  const demuxer = new FrameDemuxer((stream, payload) => (stream === "stderr" ? err : out).push(payload));
  source.start(
    (chunk) => demuxer.push(chunk),
    (error) => end(error),
  );

  return () => {
    if (stopped) return;
    stopped = true;
    source.stop();
    end();
  };
}

/** Longest a range read may take, its answer included (a remote engine that stalls mid-answer). */
export const READ_LOGS_TIMEOUT_MS = 60_000;

/**
 * Lines handed to readLogsInto's callback at once (the rest at the end): one call per line made
 * a 100k-line read 100k calls, and one per socket read would hand on pieces of any size.
 */
export const READ_LINES_PER_HAND = 1000;

/** A managed container's lines in a range, read once (not followed), all of them. */
export async function readLogs(api: EngineApi, containerRef: string, options: FollowLogsOptions): Promise<LogLine[]> {
  const lines: LogLine[] = [];
  await readLogsInto(api, containerRef, options, (chunk) => {
    for (const line of chunk) lines.push(line);
  });
  return lines;
}

/**
 * A managed container's lines in a range, read once (not followed): the answer ends when the
 * range is read. A follow bounded by `until` does not do that on Docker 20.10: it stays open
 * until a line after `until` is written, which a quiet container may never do. The answer is
 * parsed as it arrives and `onLines` gets every READ_LINES_PER_HAND lines as they come, and the
 * rest at the end; they are not kept here (a viewer's history starts before the read ends, and
 * 100k lines are not held twice).
 */
export async function readLogsInto(
  api: EngineApi,
  containerRef: string,
  options: FollowLogsOptions,
  onLines: (lines: LogLine[]) => void,
): Promise<void> {
  assertValidLogOptions(options, containerRef);
  const whole = AbortSignal.timeout(READ_LOGS_TIMEOUT_MS);
  const source = await logAnswer(api, containerRef, "read logs", { ...logQuery(options), follow: false }, whole);
  let chunk: LogLine[] = [];
  const push = (line: LogLine) => {
    chunk.push(line);
    if (chunk.length === READ_LINES_PER_HAND) hand();
  };
  const splitters = { stdout: lineSplitter("stdout", push), stderr: lineSplitter("stderr", push) };
  const hand = () => {
    if (chunk.length === 0) return;
    onLines(chunk);
    chunk = [];
  };
  // Frames in the order the engine wrote them: stdout and stderr lines interleave as followed.
  const demuxer = new FrameDemuxer((stream, payload) => splitters[stream].push(payload));
  await new Promise<void>((resolve, reject) => {
    source.start(
      (data) => demuxer.push(data),
      (err) => {
        if (err === undefined) resolve();
        else
          reject(
            whole.aborted
              ? new EngineError({
                  code: "ENGINE_UNAVAILABLE",
                  operation: "read logs",
                  resource: containerRef,
                  message: `read logs ${containerRef}: not read within ${READ_LOGS_TIMEOUT_MS / 1000} s`,
                  cause: err,
                })
              : err,
          );
      },
    );
  });
  const rest = demuxer.leftover();
  if (rest.length > 0) splitters.stdout.push(rest);
  splitters.stdout.flush();
  splitters.stderr.flush();
  hand();
}

/** The last `count` lines (stdout and stderr, without timestamps) of a container. */
export async function tailLogs(api: EngineApi, containerId: string, count: number): Promise<string[]> {
  const raw = await api.call("read logs", containerId, (abortSignal) =>
    api.docker.getContainer(containerId).logs({ follow: false, stdout: true, stderr: true, tail: count, abortSignal }),
  );
  const buffer = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
  return linesOfFrames(demuxFrames(buffer)).slice(-count);
}
