/**
 * Test stand-in for the router: a TCP forwarder on 127.0.0.1 whose upstream the hand-over
 * hook switches. It counts open connections per upstream so the hook can drain the old one.
 */
import net from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export class Forwarder {
  private upstream = 0;
  private readonly open = new Map<number, number>();
  private readonly server = net.createServer((client) => this.forward(client));

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  switchTo(port: number | null): void {
    if (port === null) throw new Error("switchTo: no published port (null)");
    this.upstream = port;
  }

  /** Resolve once no connection to `port` is open (or throw after timeoutMs). */
  async drain(port: number | null, timeoutMs = 10_000): Promise<void> {
    if (port === null) return;
    const deadline = Date.now() + timeoutMs;
    while ((this.open.get(port) ?? 0) > 0) {
      if (Date.now() > deadline) throw new Error(`connections to ${port} did not drain within ${timeoutMs} ms`);
      await sleep(10);
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: net.Socket): void {
    const port = this.upstream;
    this.open.set(port, (this.open.get(port) ?? 0) + 1);
    const upstream = net.connect({ host: "127.0.0.1", port });
    let closed = false;
    const done = (): void => {
      if (closed) return;
      closed = true;
      this.open.set(port, (this.open.get(port) ?? 1) - 1);
      client.destroy();
      upstream.destroy();
    };
    client.pipe(upstream).pipe(client);
    client.on("close", done);
    upstream.on("close", done);
    client.on("error", done);
    upstream.on("error", done);
  }
}

export interface LoopStats {
  ok: number;
  failed: number;
  errors: string[];
  bodies: Set<string>;
}

/** GET http://127.0.0.1:port/ back to back (a new connection each) until stop() resolves. */
export function requestLoop(port: number): { stop: () => Promise<LoopStats> } {
  const stats: LoopStats = { ok: 0, failed: 0, errors: [], bodies: new Set() };
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3_000), headers: { connection: "close" } });
        const body = await res.text();
        if (res.status === 200) {
          stats.ok += 1;
          stats.bodies.add(body.trim());
        } else {
          stats.failed += 1;
          stats.errors.push(`HTTP ${res.status}`);
        }
      } catch (err) {
        stats.failed += 1;
        stats.errors.push(String((err as Error).cause ?? err));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return stats;
    },
  };
}
