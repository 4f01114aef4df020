/**
 * A long streamed answer of the engine (a container's logs), read as HTTP/1.0.
 *
 * Why not the HTTP client: the engine sends a log answer over HTTP/1.1 as one chunk per line,
 * and Node's HTTP client hands each chunk on with its own parser callback and stream push.
 * Reading 100k lines cost ~340 ms of CPU that way whoever read them, about what the engine's own
 * `docker logs` client takes in all, on a machine where the engine is busy writing them. Asked in
 * HTTP/1.0, the engine (Go's net/http) sends the body unframed and closes the connection at its
 * end, so one socket read hands on everything that has arrived, however many lines. What is
 * written by hand here is only that: the request line, the status line and the end of the head.
 *
 * SSH engines keep docker-modem's request: their connection is its ssh agent's
 * (`docker system dial-stdio`), which offers no socket of its own to write to.
 */
import net from "node:net";
import tls from "node:tls";
import type { Duplex } from "node:stream";
import type Docker from "dockerode";

/** A streamed answer whose status was 200; its body is handed on once started. */
export interface StreamedAnswer {
  /**
   * Hand the body on from its first byte, in order; `onEnd` once, when the body ends (the engine
   * closed it) or fails. Nothing is read before this is called.
   */
  start(onData: (chunk: Buffer) => void, onEnd: (err?: Error) => void): void;
  /** Close the answer: nothing is handed on after it, and `onEnd` is not called. */
  stop(): void;
}

/** A head longer than this is not the engine's. */
const MAX_HEAD_BYTES = 16 * 1024;
/** An error answer's body (the engine's JSON message) is kept up to this. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})/;

/**
 * A connection to the engine for one request, from the dockerode options the connection was
 * built into (its defaults resolved there); null for SSH (see the header).
 */
export function openEngineSocket(options: Docker.DockerOptions): Duplex | null {
  if (options.socketPath !== undefined) return net.connect({ path: options.socketPath });
  const host = options.host ?? "";
  const port = Number(options.port);
  if (options.protocol === "http") return net.connect({ host, port });
  if (options.protocol !== "https") return null;
  const { ca, cert, key } = options;
  // SNI takes a name only; an address is checked against the certificate's IP names all the same.
  return tls.connect({ host, port, ca, cert, key, ...(net.isIP(host) === 0 ? { servername: host } : {}) });
}

/** The Host header for those options: HTTP/1.0 needs none, but a proxy in front of the engine may. */
export function hostHeader(options: Docker.DockerOptions): string {
  if (options.socketPath !== undefined || options.host === undefined) return "docker";
  return net.isIPv6(options.host) ? `[${options.host}]` : options.host;
}

/** The request: path and query are encoded (URLSearchParams), so no line break reaches the head. */
export function streamedRequestHead(version: string, path: string, query: Record<string, string | number | boolean>, host: string): string {
  const search = new URLSearchParams(Object.entries(query).map(([key, value]): [string, string] => [key, String(value)]));
  return `GET /${version}${path}?${search.toString()} HTTP/1.0\r\nHost: ${host}\r\nUser-Agent: berth\r\n\r\n`;
}

/** An error answer as docker-modem shapes it (status and the engine's JSON), for toEngineError. */
function statusError(status: number, body: Buffer): Error {
  let json: unknown = null;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    // Not JSON: the status alone says it.
  }
  const said = (json as { message?: unknown } | null)?.message;
  const message = typeof said === "string" ? said : body.toString("utf8").trim() || `status ${status}`;
  return Object.assign(new Error(`(HTTP code ${status}) ${message}`), { statusCode: status, json });
}

/**
 * Send `head` over `socket` and resolve once the engine's status is 200 (any other status
 * rejects with the engine's error). `signal` aborts the whole answer, its body included.
 */
export function streamedAnswer(socket: Duplex, head: string, signal: AbortSignal): Promise<StreamedAnswer> {
  return new Promise<StreamedAnswer>((resolve, reject) => {
    let headBytes: Buffer | null = Buffer.alloc(0);
    let status = 0;
    const errorBody: Buffer[] = [];
    let errorBytes = 0;
    /** Body that came before start (with the head, or after it while paused). */
    const queued: Buffer[] = [];
    let handlers: { onData: (chunk: Buffer) => void; onEnd: (err?: Error) => void } | null = null;
    let stopped = false;
    /** How it ended, when that happened before start. */
    let finished: { err?: Error | undefined } | null = null;

    const finish = (err?: Error): void => {
      if (finished !== null) return;
      finished = { err };
      signal.removeEventListener("abort", onAbort);
      if (status !== 200) {
        reject(
          err ??
            (status === 0
              ? new Error("the engine closed the connection before it answered")
              : statusError(status, Buffer.concat(errorBody))),
        );
        return;
      }
      if (handlers !== null && !stopped) handlers.onEnd(err);
    };
    // The signal's reason: an AbortError, or a TimeoutError from AbortSignal.timeout.
    const onAbort = (): void => {
      socket.destroy();
      finish(signal.reason as Error);
    };
    if (signal.aborted) {
      socket.destroy();
      reject(signal.reason as Error);
      return;
    }
    signal.addEventListener("abort", onAbort, { once: true });

    const onBody = (chunk: Buffer): void => {
      if (handlers !== null) return handlers.onData(chunk);
      queued.push(chunk);
      socket.pause();
    };
    socket.on("data", (chunk: Buffer) => {
      if (stopped) return;
      if (headBytes === null) {
        if (status === 200) return onBody(chunk);
        if (errorBytes < MAX_ERROR_BODY_BYTES) errorBody.push(chunk);
        errorBytes += chunk.length;
        return;
      }
      headBytes = headBytes.length === 0 ? chunk : Buffer.concat([headBytes, chunk]);
      const end = headBytes.indexOf("\r\n\r\n");
      if (end === -1) {
        if (headBytes.length > MAX_HEAD_BYTES) socket.destroy(new Error("the engine's answer has no end of head"));
        return;
      }
      const match = STATUS_LINE.exec(headBytes.subarray(0, Math.min(end, 64)).toString("latin1"));
      if (!match) return void socket.destroy(new Error("the engine's answer is not HTTP"));
      status = Number(match[1]);
      const rest = headBytes.subarray(end + 4);
      headBytes = null;
      if (status !== 200) {
        errorBody.push(rest);
        errorBytes = rest.length;
        return;
      }
      resolve(answer);
      if (rest.length > 0) onBody(rest);
      else socket.pause();
    });
    socket.on("end", () => finish());
    socket.on("close", () => finish());
    socket.on("error", (err: Error) => finish(err));

    const answer: StreamedAnswer = {
      start(onData, onEnd) {
        if (handlers !== null || stopped) return;
        handlers = { onData, onEnd };
        for (const chunk of queued.splice(0)) onData(chunk);
        if (finished !== null) onEnd(finished.err);
        else socket.resume();
      },
      stop() {
        if (stopped) return;
        stopped = true;
        socket.destroy();
      },
    };
    socket.write(head);
  });
}

/** The same for a stream docker-modem answered (SSH engines). */
export function streamedFromReadable(source: NodeJS.ReadableStream & { destroy(): void }): StreamedAnswer {
  let stopped = false;
  return {
    start(onData, onEnd) {
      let ended = false;
      const end = (err?: Error): void => {
        if (ended || stopped) return;
        ended = true;
        onEnd(err);
      };
      source.on("data", (chunk: Buffer) => {
        if (!stopped) onData(chunk);
      });
      source.on("end", () => end());
      source.on("close", () => end());
      source.on("error", (err: Error) => end(err));
    },
    stop() {
      if (stopped) return;
      stopped = true;
      source.destroy();
    },
  };
}
