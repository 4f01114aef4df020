/** Types of exec sessions (exec.ts). */
import type { Readable, Writable } from "node:stream";

export interface ExecSessionOptions {
  /** argv; no shell unless you put one here. */
  cmd: string[];
  env?: Record<string, string>;
  workingDir?: string;
  /** Allocate a TTY (a terminal): stdout and stderr then arrive as one stream. */
  tty?: boolean;
  /** Attach stdin so write() reaches the process. */
  stdin?: boolean;
}

export interface ExecSession {
  stdout: Readable;
  /** The same stream as stdout when a TTY is allocated. */
  stderr: Readable;
  write(data: string | Buffer): void;
  /** The process's stdin as a stream, to pipe into with backpressure (end it for EOF). */
  stdin: Writable;
  /** Close stdin (EOF for the process). */
  endInput(): void;
  resize(size: { cols: number; rows: number }): Promise<void>;
  /** Resolves with the exit code once the process ends (null if the engine still reports it running). */
  wait(): Promise<number | null>;
  /** Detach (the process may keep running). */
  close(): void;
}

export interface ExecOptions {
  cmd: string[];
  env?: Record<string, string>;
  workingDir?: string;
  /** Written to stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
}

export interface ExecResult {
  exitCode: number | null;
  /** stdout */
  output: string;
  stderr: string;
}
