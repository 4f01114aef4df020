import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type AuthOptions, createAuth } from "../src/auth/auth.ts";
import type { TestDeps } from "./harness.ts";
import { createRequestHandler } from "../src/http/request-handler.ts";
import { attachRealtime, type RealtimeOptions } from "../src/realtime/gateway.ts";
import type { Server as SocketServer } from "socket.io";

/** The control plane's real request handler on an ephemeral port; pages answer 404 (no Next build needed). */
export async function startHttp(
  deps: TestDeps,
  options: AuthOptions = { rateLimit: false },
  realtime: RealtimeOptions = {},
): Promise<{ server: Server; base: string; io: SocketServer }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  deps.env = { ...deps.env, publicUrl: base };
  const auth = createAuth(deps, options);
  server.on(
    "request",
    createRequestHandler(deps, auth, (_req, res) => {
      res.statusCode = 404;
      res.end("no pages in this test");
    }),
  );
  const io = attachRealtime(server, deps, auth, realtime);
  return { server, base, io };
}

export class Client {
  cookie = "";
  /** Set to call as an API token (Authorization: Bearer) instead of the cookie. */
  bearer = "";
  constructor(private readonly base: string) {}

  /** POST to a better-auth endpoint (/api/auth/<path>) with this client's cookies; keeps the cookies it sets. */
  async auth(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}/api/auth/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.base, cookie: this.cookie, ...headers },
      body: JSON.stringify(body),
    });
    const jar = new Map(
      this.cookie
        .split("; ")
        .filter(Boolean)
        .map((c) => [c.split("=")[0] ?? "", c] as const),
    );
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(";")[0] ?? "";
      const name = pair.split("=")[0] ?? "";
      if (/max-age=0/i.test(set) || pair.endsWith("=")) jar.delete(name);
      else jar.set(name, pair);
    }
    this.cookie = [...jar.values()].join("; ");
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  }

  private authHeaders(): Record<string, string> {
    return this.bearer ? { authorization: `Bearer ${this.bearer}` } : { cookie: this.cookie };
  }

  async signUp(email: string, password = "correct horse battery staple", headers: Record<string, string> = {}) {
    const res = await fetch(`${this.base}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: this.base, ...headers },
      body: JSON.stringify({ name: email.split("@")[0], email, password }),
    });
    const setCookie = res.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    if (setCookie) this.cookie = setCookie;
    return {
      status: res.status,
      body: (await res.json().catch(() => null)) as Record<string, unknown> | null,
      setCookie: res.headers.getSetCookie(),
    };
  }

  async query(path: string, input?: unknown) {
    const qs = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.parse(await fetch(`${this.base}/trpc/${path}${qs}`, { headers: this.authHeaders() }));
  }

  async mutate(path: string, input: unknown, origin = this.base) {
    return this.parse(
      await fetch(`${this.base}/trpc/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...this.authHeaders(), origin },
        body: JSON.stringify(input),
      }),
    );
  }

  private async parse(res: Response) {
    const json = (await res.json()) as {
      result?: { data: unknown };
      error?: { message: string; data: { code: string; fieldErrors: Record<string, string> | null } };
    };
    return { status: res.status, data: json.result?.data as any, error: json.error }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
}
