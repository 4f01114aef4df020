/**
 * The adapter's connection to the Docker Engine: one dockerode client pinned to API 1.41,
 * and `call`, which gives every request a deadline and turns every failure into an
 * EngineError naming the operation and resource.
 */
import Docker from "dockerode";
import { buildDockerOptions, DEFAULT_SOCKET_PATH, isLoopback, type EngineConnection } from "./connection.ts";
import { EngineError, toEngineError } from "./errors.ts";
import {
  hostHeader,
  openEngineSocket,
  streamedAnswer,
  streamedFromReadable,
  streamedRequestHead,
  type StreamedAnswer,
} from "./streamed-answer.ts";

/** Highest Engine API version Berth speaks; Docker 20.10 answers 400 to anything newer. */
export const ENGINE_API_VERSION = "v1.41";
export { DEFAULT_SOCKET_PATH };
export const DEFAULT_TIMEOUT_MS = 15_000;
/** Ping answers in milliseconds on a healthy engine; give up quickly on an absent one. */
export const PING_TIMEOUT_MS = 3_000;

export interface DockerEngineOptions {
  /** How to reach the engine (local socket, TCP+TLS or SSH). Takes precedence over the legacy fields. */
  connection?: EngineConnection;
  /** Legacy: unix socket of the engine (default /var/run/docker.sock). Ignored when host is set. */
  socketPath?: string;
  /** Legacy: TCP host of the engine (plain HTTP, loopback only), e.g. "127.0.0.1". */
  host?: string;
  port?: number;
  /** Deadline for one ordinary API request (default 15 s; stops add their grace period). */
  timeoutMs?: number;
}

/** The connection the options describe (legacy fields mapped onto EngineConnection). */
export function connectionOf(options: DockerEngineOptions): EngineConnection {
  if (options.connection !== undefined) return options.connection;
  if (options.host !== undefined) return { kind: "tcp", host: options.host, ...(options.port === undefined ? {} : { port: options.port }) };
  return { kind: "socket", ...(options.socketPath === undefined ? {} : { socketPath: options.socketPath }) };
}

/** dockerode's modem request options (typed via dockerode, whose modem is docker-modem). */
export type DialOptions = Parameters<Docker["modem"]["dial"]>[0];

export class EngineApi {
  readonly docker: Docker;
  readonly timeoutMs: number;
  /** Where the engine is, for error messages. */
  readonly target: string;
  /**
   * The engine runs on this machine (a unix socket or loopback TCP), so host paths (bind
   * mount sources) can be checked here; null socket path for loopback TCP.
   */
  readonly local: { socketPath: string | null } | null;
  /**
   * A remote engine's host (TLS or SSH): where its published ports are reached from here, and
   * the only address its health gates probe (a container's bridge address there means nothing
   * here). Null for an engine on this machine.
   */
  readonly remoteHost: string | null;
  /** The dockerode options the connection was built into (streamed answers open their own socket from them). */
  private readonly options: Docker.DockerOptions;

  constructor(options: DockerEngineOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const connection = connectionOf(options);
    const built = buildDockerOptions(connection, ENGINE_API_VERSION);
    this.target = built.target;
    this.local =
      connection.kind === "socket"
        ? { socketPath: connection.socketPath ?? DEFAULT_SOCKET_PATH }
        : connection.kind === "tcp" && isLoopback(connection.host)
          ? { socketPath: null }
          : null;
    this.remoteHost = this.local === null && connection.kind !== "socket" ? connection.host : null;
    this.options = built.options;
    this.docker = new Docker(built.options);
  }

  /**
   * Run one engine request with a deadline. `fn` must pass the signal to dockerode. The
   * deadline covers the request until its answer arrives; for a streaming answer it stops
   * applying once the stream is handed back, so a followed stream lives on.
   */
  async call<T>(
    operation: string,
    resource: string,
    fn: (signal: AbortSignal) => Promise<T>,
    timeoutMs: number = this.timeoutMs,
  ): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await fn(controller.signal);
    } catch (err) {
      if (controller.signal.aborted) {
        throw new EngineError({
          code: "ENGINE_UNAVAILABLE",
          operation,
          resource,
          message: `${operation} ${resource}: the container engine at ${this.target} did not answer within ${timeoutMs} ms`,
          cause: err,
        });
      }
      throw toEngineError(err, operation, resource);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A GET whose answer is a long stream (a container's logs), read as HTTP/1.0 (see
   * streamed-answer.ts): resolves once the engine answered 200; any other status rejects with
   * its error (404 and 500 as the modem's). `abortSignal` aborts the answer, its body included.
   */
  async streamed(path: string, query: Record<string, string | number | boolean>, abortSignal: AbortSignal): Promise<StreamedAnswer> {
    const socket = openEngineSocket(this.options);
    if (socket === null) {
      const statusCodes = { 200: true, 404: "no such container", 500: "server error" };
      const source = await this.dial<NodeJS.ReadableStream & { destroy(): void }>({
        path: `${path}?`,
        method: "GET",
        options: query,
        isStream: true,
        abortSignal,
        statusCodes,
      });
      return streamedFromReadable(source);
    }
    return streamedAnswer(socket, streamedRequestHead(ENGINE_API_VERSION, path, query, hostHeader(this.options)), abortSignal);
  }

  /** A raw request through dockerode's modem, for calls whose typed wrappers fall short. */
  dial<T>(options: DialOptions): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.docker.modem.dial(options, (err, data) => {
        if (err) reject(err);
        else resolve(data as T);
      });
    });
  }
}
