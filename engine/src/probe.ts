/**
 * TCP readiness probe for a published port.
 *
 * A bare connect is not proof: Docker's userland proxy accepts on 127.0.0.1:<hostPort>
 * even when nothing listens in the container, then closes the connection within a few
 * milliseconds. So the probe holds the connection for a short settle window: it counts as
 * ready if the peer sends data or keeps the connection open through the window.
 */
import http from "node:http";
import net from "node:net";

export interface TcpProbeOptions {
  host?: string;
  connectTimeoutMs?: number;
  /** How long an accepted connection must stay open to count (default 150 ms). */
  settleMs?: number;
}

export function probeTcp(port: number, options: TcpProbeOptions = {}): Promise<boolean> {
  const host = options.host ?? "127.0.0.1";
  const connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
  const settleMs = options.settleMs ?? 150;
  return new Promise<boolean>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const socket = net.connect({ host, port });
    const finish = (ready: boolean): void => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      socket.destroy();
      resolve(ready);
    };
    timer = setTimeout(() => finish(false), connectTimeoutMs);
    socket.once("connect", () => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(() => finish(true), settleMs);
    });
    socket.once("data", () => finish(true));
    socket.once("end", () => finish(false));
    socket.once("close", () => finish(false));
    socket.once("error", () => finish(false));
  });
}

export type DirectProbe = "open" | "refused" | "unreachable";

/**
 * Probe the container's own address (its bridge IP), bypassing Docker's userland proxy: a
 * completed connect means the process listens, a refusal means it does not yet. Anything
 * else (no route, timeout: e.g. Berth itself runs in another network namespace) is
 * "unreachable" and the caller falls back to the published port.
 */
export function probeTcpDirect(host: string, port: number, connectTimeoutMs = 500): Promise<DirectProbe> {
  return new Promise<DirectProbe>((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (result: DirectProbe): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish("unreachable"), connectTimeoutMs);
    socket.once("connect", () => finish("open"));
    socket.once("error", (err: NodeJS.ErrnoException) => finish(err.code === "ECONNREFUSED" ? "refused" : "unreachable"));
  });
}

/** One health probe's verdict. "not-listening" waits for the deadline; "failed" counts toward retries. */
export interface ProbeResult {
  outcome: "ok" | "not-listening" | "failed" | "unreachable";
  detail: string;
}

const NOT_LISTENING_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE"]);

/**
 * GET http://host:port<path> once. A status within `expect` is ok, another status or no
 * answer within timeoutMs is a failure; a refused or reset connection means nothing listens
 * yet; no route to the host is "unreachable" (the caller may try the published port).
 */
export function probeHttp(target: {
  host: string;
  port: number;
  path: string;
  expect: { min: number; max: number };
  timeoutMs: number;
}): Promise<ProbeResult> {
  return new Promise<ProbeResult>((resolve) => {
    const url = `http://${target.host}:${target.port}${target.path}`;
    const req = http.get({ host: target.host, port: target.port, path: target.path, agent: false, timeout: target.timeoutMs }, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      const ok = status >= target.expect.min && status <= target.expect.max;
      resolve({ outcome: ok ? "ok" : "failed", detail: `GET ${url}: HTTP ${status}` });
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ outcome: "failed", detail: `GET ${url}: no answer within ${target.timeoutMs} ms` });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      const code = err.code ?? err.message;
      if (NOT_LISTENING_CODES.has(code) || /socket hang up/.test(err.message))
        resolve({ outcome: "not-listening", detail: `GET ${url}: ${code}` });
      else resolve({ outcome: "unreachable", detail: `GET ${url}: ${code}` });
    });
  });
}
