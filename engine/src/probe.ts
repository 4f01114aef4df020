/**
 * TCP readiness probe for a published port.
 *
 * A bare connect is not proof: Docker's userland proxy accepts on 127.0.0.1:<hostPort>
 * even when nothing listens in the container, then closes the connection within a few
 * milliseconds. So the probe holds the connection for a short settle window: it counts as
 * ready if the peer sends data or keeps the connection open through the window.
 */
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
