/**
 * Issue #14.8: only failed sign-ins count towards the per-account limit (correct ones never lock
 * an account); sign-up does not reveal who has an account; common passwords are refused; cookies are Secure
 * behind an https public URL; the same-origin check compares scheme, host and port.
 * The real request handler, better-auth and Postgres.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Server as SocketServer } from "socket.io";
import { testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";
import { createRequestHandler } from "../http/request-handler.ts";
import { createAuth } from "./auth.ts";

const deps = testDeps();
let server: Server;
let io: SocketServer;
let base: string;
const PASSWORD = "Tidal-Lantern-Quartz-91";

beforeAll(async () => {
  await deps.db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, signupOpen: true }, update: { signupOpen: true } });
  // Rate limits on, each request from its own address behind a trusted proxy (only the per-account limit can bite).
  deps.env = { ...deps.env, BERTH_TRUSTED_PROXIES: ["127.0.0.1"] };
  ({ server, base, io } = await startHttp(deps, { rateLimit: true }));
});

afterAll(async () => {
  await io.close();
  server.close();
  await deps.db.$disconnect();
});

let address = 0;
const fromNewAddress = () => ({ "x-forwarded-for": `203.0.113.${(address++ % 250) + 1}` });

async function signIn(email: string, password: string) {
  const res = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base, ...fromNewAddress() },
    body: JSON.stringify({ email, password }),
  });
  return res.status;
}

describe("sign-in and sign-up hardening", () => {
  it("the per-account limit counts failed sign-ins only: correct ones never lock the account", async () => {
    const email = `owner-${Date.now()}@example.test`;
    expect((await new Client(base).signUp(email, PASSWORD, fromNewAddress())).status).toBe(200);
    const correct: number[] = [];
    for (let i = 0; i < 12; i++) correct.push(await signIn(email, PASSWORD));
    expect(correct).toEqual(Array(12).fill(200));
    const wrong: number[] = [];
    for (let i = 0; i < 11; i++) wrong.push(await signIn(email, "not the password at all"));
    expect(wrong.slice(0, 10)).not.toContain(429);
    expect(wrong[10]).toBe(429);
  });

  it("a browser that signed in to the account before is not locked out by someone else's failures", async () => {
    const email = `device-${Date.now()}@example.test`;
    expect((await new Client(base).signUp(email, PASSWORD, fromNewAddress())).status).toBe(200);
    const device = new Client(base);
    expect((await device.auth("sign-in/email", { email, password: PASSWORD }, fromNewAddress())).status).toBe(200);
    expect(device.cookie).toMatch(/berth\.known_device=/);
    for (let i = 0; i < 10; i++) await signIn(email, "an attacker's guess");
    // The account is locked for everyone else, even with the right password...
    expect(await signIn(email, PASSWORD)).toBe(429);
    // ...but not for the owner's browser (the password is still checked).
    expect((await device.auth("sign-in/email", { email, password: "wrong from the device" }, fromNewAddress())).status).toBe(401);
    expect((await device.auth("sign-in/email", { email, password: PASSWORD }, fromNewAddress())).status).toBe(200);
    // A device cookie of another account does not help.
    const other = new Client(base);
    other.cookie = device.cookie;
    expect((await other.auth("sign-in/email", { email: `x-${email}`, password: PASSWORD }, fromNewAddress())).status).not.toBe(200);
  });

  it("sign-up with an existing email answers like a new account and changes nothing", async () => {
    const email = `taken-${Date.now()}@example.test`;
    const fresh = await new Client(base).signUp(email, PASSWORD, fromNewAddress());
    expect(fresh.status).toBe(200);
    const users = await deps.db.user.count();
    const again = await new Client(base).signUp(email, "Another-Fine-Passphrase-7", fromNewAddress());
    expect(again.status).toBe(fresh.status);
    expect(Object.keys(again.body ?? {}).sort()).toEqual(Object.keys(fresh.body ?? {}).sort());
    expect(Object.keys((again.body?.user ?? {}) as object).sort()).toEqual(Object.keys((fresh.body?.user ?? {}) as object).sort());
    expect(JSON.stringify(again.body)).not.toMatch(/exist/i);
    expect(await deps.db.user.count()).toBe(users);
    // The real owner's password still works; the second one does not.
    expect(await signIn(email, PASSWORD)).toBe(200);
    expect(await signIn(email, "Another-Fine-Passphrase-7")).toBe(401);
  });

  it("refuses common passwords at sign-up, not only short ones", async () => {
    for (const common of ["qwertyuiop", "password1234", "1q2w3e4r5t", "Iloveyou123"]) {
      const res = await new Client(base).signUp(`common-${Date.now()}-${common}@example.test`, common, fromNewAddress());
      expect(res.status, common).toBe(400);
      expect(res.body).toMatchObject({ code: "WEAK_PASSWORD", message: expect.stringMatching(/most common/) });
    }
  });

  it("the same-origin check compares scheme, host and port", async () => {
    const host = new URL(base).host;
    // The public URL is https on this host (TLS ends at a proxy in front): an http page on it is another origin.
    const saved = deps.env;
    deps.env = { ...deps.env, publicUrl: `https://${host}` };
    try {
      const post = (origin: string) =>
        fetch(`${base}/trpc/projects.create`, { method: "POST", headers: { "content-type": "application/json", origin }, body: "{}" }).then(
          (r) => r.status,
        );
      expect(await post(`http://${host}`)).toBe(403);
      expect(await post(`https://127.0.0.1:1`)).toBe(403);
      expect(await post(`https://${host}`)).not.toBe(403);
    } finally {
      deps.env = saved;
    }
  });

  it("session cookies are Secure when the public URL is https", async () => {
    const https = createServer();
    await new Promise<void>((resolve) => https.listen(0, "127.0.0.1", resolve));
    const port = (https.address() as AddressInfo).port;
    const publicUrl = `https://127.0.0.1:${port}`;
    const secureDeps = { ...deps, env: { ...deps.env, publicUrl } };
    https.on(
      "request",
      createRequestHandler(secureDeps, createAuth(secureDeps, { rateLimit: false }), (_req, res) => void res.end()),
    );
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/auth/sign-up/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: publicUrl },
        body: JSON.stringify({ name: "s", email: `secure-${Date.now()}@example.test`, password: PASSWORD }),
      });
      expect(res.status).toBe(200);
      const cookies = res.headers.getSetCookie();
      expect(cookies.length).toBeGreaterThan(0);
      for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
    } finally {
      https.close();
    }
  });
});
