/**
 * A small client of Caddy's admin API: JSON over HTTP on a unix socket (`unix:/path`, the
 * default: only root can connect) or a loopback `host:port`.
 */
import { request as httpRequest } from "node:http";
import { ADMIN_SOCKET_HOST, adminSocketPath } from "./caddy-config.ts";

export class ProxyUnreachableError extends Error {
  constructor(address: string, cause: unknown) {
    super(`The edge proxy (Caddy admin API at ${address}) does not answer: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "ProxyUnreachableError";
  }
}

export class ProxyRejectedError extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`The edge proxy rejected the configuration (HTTP ${status}): ${detail.slice(0, 500)}`);
    this.name = "ProxyRejectedError";
  }
}

export interface UpstreamStatus {
  address: string;
  num_requests: number;
  fails: number;
}

export class CaddyAdmin {
  constructor(
    /** `unix:/path/admin.sock`, or host:port on loopback, e.g. 127.0.0.1:2019. */
    readonly address: string,
    private readonly timeoutMs = 10_000,
  ) {}

  /**
   * Caddy restarts its admin endpoint on every config load: a request in that instant is
   * refused. A refused or reset connection is tried again twice, 150 ms apart, before the
   * proxy counts as unreachable (a timeout is not retried).
   */
  private async request(method: string, path: string, body?: unknown): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(method, path, body === undefined ? undefined : JSON.stringify(body));
      } catch (err) {
        const timedOut = err instanceof Error && err.name === "TimeoutError";
        if (timedOut || attempt >= 3) throw new ProxyUnreachableError(this.address, err);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  }

  /** One HTTP exchange over node:http (fetch cannot reach a unix socket), answered as a Response. */
  private send(method: string, path: string, body: string | undefined): Promise<Response> {
    const socketPath = adminSocketPath(this.address);
    const target = socketPath === null ? new URL(`http://${this.address}`) : null;
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          method,
          path,
          ...(socketPath !== null
            ? { socketPath, headers: { host: ADMIN_SOCKET_HOST } }
            : { host: target?.hostname.replace(/^\[|\]$/g, ""), port: target?.port }),
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () =>
            resolve(
              new Response(res.statusCode === 204 || res.statusCode === 304 ? null : Buffer.concat(chunks), {
                status: res.statusCode ?? 502,
              }),
            ),
          );
        },
      );
      req.on("error", (err) =>
        reject(
          err.name === "AbortError" ? Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { name: "TimeoutError" }) : err,
        ),
      );
      if (body !== undefined) req.setHeader("content-type", "application/json");
      req.end(body);
    });
  }

  /** Replace the whole running config; Caddy keeps the previous one when it rejects this one. */
  async load(config: unknown): Promise<void> {
    const res = await this.request("POST", "/load", config);
    const text = await res.text();
    if (!res.ok) throw new ProxyRejectedError(res.status, text);
  }

  /** True when an object with this @id is in the running config. */
  async hasId(id: string): Promise<boolean> {
    const res = await this.request("GET", `/id/${encodeURIComponent(id)}`);
    await res.arrayBuffer();
    return res.ok;
  }

  async config(): Promise<unknown> {
    const res = await this.request("GET", "/config/");
    return res.json();
  }

  /** In-flight request counts per upstream address (Caddy's reverse proxy pool). */
  async upstreams(): Promise<UpstreamStatus[]> {
    const res = await this.request("GET", "/reverse_proxy/upstreams");
    if (!res.ok) return [];
    const value: unknown = await res.json();
    return Array.isArray(value) ? (value as UpstreamStatus[]) : [];
  }

  /** The internal CA's root certificate (PEM), to trust Caddy's local certificates. */
  async internalRootPem(): Promise<string> {
    const res = await this.request("GET", "/pki/ca/local");
    if (!res.ok) throw new ProxyRejectedError(res.status, await res.text());
    const body = (await res.json()) as { root_certificate?: string };
    return body.root_certificate ?? "";
  }
}
