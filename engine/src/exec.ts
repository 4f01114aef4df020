/**
 * Exec in a managed container: a one-shot command with its output, and an interactive
 * session (stdin/stdout, resize) for a web terminal. The command is an argv array handed to
 * the Engine API: no shell is involved unless the caller puts one in argv.
 */
import { PassThrough, type Duplex } from "node:stream";
import type { EngineApi } from "./engine-api.ts";
import { EngineError } from "./errors.ts";
import { requireManagedContainer } from "./managed-access.ts";
import type { ExecOptions, ExecResult, ExecSession, ExecSessionOptions } from "./exec-types.ts";
import { buildEnv } from "./container-spec.ts";
import { isValidEnvName, isValidEnvValue } from "./validate.ts";
import { demuxExecStream } from "./exec-demux.ts";

export const DEFAULT_EXEC_TIMEOUT_MS = 30_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;

function assertValidExec(options: ExecSessionOptions, operation: string, ref: string): void {
  const fail = (message: string): never => {
    throw new EngineError({ code: "INVALID", operation, resource: ref, message: `${operation} ${ref}: ${message}` });
  };
  if (!Array.isArray(options.cmd) || options.cmd.length === 0) fail("cmd must be a non-empty array of arguments");
  if (options.cmd.some((a) => typeof a !== "string" || a.includes("\0"))) fail("cmd arguments must be strings without NUL");
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (!isValidEnvName(k) || !isValidEnvValue(v)) fail(`invalid environment variable ${JSON.stringify(k)}`);
  }
  if (options.workingDir !== undefined && !/^\/[^\0]*$/.test(options.workingDir)) fail("workingDir must be an absolute path");
}

async function createExec(api: EngineApi, ref: string, options: ExecSessionOptions, operation: string) {
  assertValidExec(options, operation, ref);
  const id = await requireManagedContainer(api, ref, operation);
  const tty = options.tty ?? false;
  const exec = await api.call(operation, ref, (abortSignal) =>
    api.docker.getContainer(id).exec({
      Cmd: [...options.cmd],
      AttachStdin: options.stdin ?? false,
      AttachStdout: true,
      AttachStderr: true,
      Tty: tty,
      ...(options.env === undefined ? {} : { Env: buildEnv(options.env) }),
      ...(options.workingDir === undefined ? {} : { WorkingDir: options.workingDir }),
      abortSignal,
    }),
  );
  const stream = (await api.call(operation, ref, (abortSignal) =>
    exec.start({ hijack: true, stdin: options.stdin ?? false, Tty: tty, abortSignal } as never),
  )) as Duplex;
  const exitCode = async (): Promise<number | null> => {
    const info = await api.call("inspect exec", ref, (abortSignal) => exec.inspect({ abortSignal }));
    return info.Running ? null : info.ExitCode;
  };
  return { exec, stream, tty, exitCode };
}

/** Open an interactive session. Output arrives on `stdout`/`stderr` (one stream with a TTY). */
export async function openExec(api: EngineApi, ref: string, options: ExecSessionOptions): Promise<ExecSession> {
  const operation = "exec";
  const { exec, stream, tty, exitCode } = await createExec(api, ref, options, operation);
  const stdout = new PassThrough();
  const stderr = tty ? stdout : new PassThrough();
  const sink = tty ? null : demuxExecStream(stream, stdout, stderr);
  if (tty) stream.pipe(stdout);
  const ended = new Promise<void>((resolve) => {
    if (sink) {
      // Resolve once every frame reached stdout/stderr (the socket's end comes first).
      sink.once("finish", () => resolve());
      sink.once("close", () => resolve());
      const stop = () => {
        if (!sink.writableEnded) sink.end();
      };
      stream.once("close", stop);
      stream.once("error", () => {
        stop();
        resolve();
      });
      return;
    }
    stream.once("end", resolve);
    stream.once("close", resolve);
    stream.once("error", () => resolve());
  });
  ended.then(
    () => {
      stdout.end();
      if (!tty) stderr.end();
    },
    () => undefined,
  );
  return {
    stdout,
    stderr,
    write: (data) => {
      stream.write(data);
    },
    stdin: stream,
    endInput: () => {
      stream.end();
    },
    resize: async (size) => {
      if (
        !Number.isInteger(size.cols) ||
        !Number.isInteger(size.rows) ||
        size.cols < 1 ||
        size.rows < 1 ||
        size.cols > 1000 ||
        size.rows > 1000
      ) {
        throw new EngineError({
          code: "INVALID",
          operation: "resize exec",
          resource: ref,
          message: "resize exec: cols and rows must be 1-1000",
        });
      }
      await api.call("resize exec", ref, (abortSignal) => exec.resize({ h: size.rows, w: size.cols, abortSignal } as never));
    },
    wait: async () => {
      await ended;
      return exitCode();
    },
    close: () => {
      stream.destroy();
      sink?.destroy();
    },
  };
}

function collect(stream: NodeJS.ReadableStream, into: Buffer[]): void {
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_OUTPUT_BYTES) into.push(chunk);
  });
}

/** Run a command to completion and return its output (at most 1 MiB of each stream) and exit code. */
export async function execCommand(api: EngineApi, ref: string, options: ExecOptions): Promise<ExecResult> {
  const session = await openExec(api, ref, { ...options, tty: false, stdin: options.input !== undefined });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  collect(session.stdout, out);
  collect(session.stderr, err);
  if (options.input !== undefined) {
    session.write(options.input);
    session.endInput();
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      session.close();
      reject(
        new EngineError({
          code: "TIMEOUT",
          operation: "exec",
          resource: ref,
          message: `exec ${ref}: the command did not finish within ${timeoutMs} ms`,
        }),
      );
    }, timeoutMs);
  });
  try {
    const exitCode = await Promise.race([session.wait(), timeout]);
    return { exitCode, output: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") };
  } finally {
    clearTimeout(timer);
  }
}
