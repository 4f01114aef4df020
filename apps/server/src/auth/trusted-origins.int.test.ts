import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect } from "socket.io-client";
import { testDeps } from "../../test/harness.ts";
import { createAuth } from "./auth.ts";
import { createRequestHandler } from "../http/request-handler.ts";
import { attachRealtime } from "../realtime/gateway.ts";

/**
 * An instance whose public URL is a name (https://berth.example.test) reached here on loopback,
 * as after `npm run up`: sign-up/sign-in work from every loopback spelling and the configured
 * extra origin; anything else is refused with the URL to use, by auth, tRPC and sockets alike.
 */
const deps = testDeps();
let server: Server;
let port: number;
const PUBLIC_URL = "https://berth.example.test";
const EXTRA = "http://10.0.0.5:3000";
const password = "correct horse battery staple";

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  deps.env = { ...deps.env, publicUrl: PUBLIC_URL, BERTH_PORT: port, BERTH_TRUSTED_ORIGINS: [EXTRA] };
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, signupOpen: true }, update: { signupOpen: true } });
  const auth = createAuth(deps, { rateLimit: false });
  server.on(
    "request",
    createRequestHandler(deps, auth, (_req, res) => void res.end()),
  );
  attachRealtime(server, deps, auth);
});

afterAll(async () => {
  await deps.db.instanceSettings.update({ where: { id: 1 }, data: { signupOpen: false } });
  server.close();
  await deps.db.$disconnect();
});

async function post(path: string, origin: string, body: unknown, cookie = "") {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", origin, cookie },
    body: JSON.stringify(body),
  });
  const cookies = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null, cookies };
}

describe("trusted origins: one list for auth, tRPC and sockets", () => {
  const origins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`, EXTRA, PUBLIC_URL];

  it("signs up and signs in from the public URL, every loopback spelling at BERTH_PORT and BERTH_TRUSTED_ORIGINS", async () => {
    for (const origin of origins()) {
      const email = `origin-${randomUUID().slice(0, 8)}@example.test`;
      const up = await post("/api/auth/sign-up/email", origin, { name: "o", email, password });
      expect(up.status, `sign-up from ${origin}: ${JSON.stringify(up.body)}`).toBe(200);
      const inAgain = await post("/api/auth/sign-in/email", origin, { email, password });
      expect(inAgain.status, `sign-in from ${origin}: ${JSON.stringify(inAgain.body)}`).toBe(200);
      // The same origin may then change things through tRPC.
      const teams = await deps.db.membership.findMany({ where: { user: { email } }, select: { teamId: true } });
      const created = await post(
        "/trpc/projects.create",
        origin,
        { teamId: teams[0]?.teamId, name: `p-${randomUUID().slice(0, 6)}` },
        inAgain.cookies,
      );
      expect(created.status, `projects.create from ${origin}: ${JSON.stringify(created.body)}`).toBe(200);
    }
  });

  it("refuses another origin with a message naming the URL to use, at sign-up, sign-in and tRPC", async () => {
    const email = `evil-${randomUUID().slice(0, 8)}@example.test`;
    for (const path of ["/api/auth/sign-up/email", "/api/auth/sign-in/email", "/trpc/projects.create"]) {
      const res = await post(path, "http://evil.example", { name: "e", email, password, teamId: randomUUID(), name2: "x" });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ code: "UNTRUSTED_ORIGIN" });
      expect(String(res.body?.message)).toContain(`Open ${PUBLIC_URL} instead`);
      expect(String(res.body?.message)).toContain("BERTH_TRUSTED_ORIGINS");
    }
    expect(await deps.db.user.count({ where: { email } })).toBe(0);
    // A DNS name pointed at this port (Host header = Origin) is not enough: trust is the list.
    const rebound = await fetch(`http://127.0.0.1:${port}/api/auth/sign-up/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://rebind.example", host: "rebind.example" },
      body: JSON.stringify({ name: "r", email, password }),
    });
    expect(rebound.status).toBe(403);
  });

  it("the socket handshake follows the same list", async () => {
    const handshake = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(`http://127.0.0.1:${port}`, {
          path: "/socket.io",
          transports: ["polling"],
          extraHeaders: { origin },
          reconnection: false,
        });
        socket.on("connect_error", (err) => {
          socket.close();
          resolve(err.message);
        });
        socket.on("connect", () => {
          socket.close();
          resolve("connected");
        });
      });
    // Trusted but not signed in: refused by the session check, not by the origin check.
    expect(await handshake(`http://localhost:${port}`)).toBe("Sign in to continue");
    expect(await handshake("http://evil.example")).not.toBe("Sign in to continue");
  });
});
