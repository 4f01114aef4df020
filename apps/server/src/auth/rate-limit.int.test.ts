import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import type { Server } from "node:http";
import { testDeps } from "../../test/harness.ts";
import { Client, startHttp } from "../../test/http-harness.ts";

const deps = testDeps();
let server: Server;
let base: string;

beforeAll(async () => {
  // No option: the limit comes from the environment default (BERTH_AUTH_RATE_LIMIT unset -> "on").
  ({ server, base } = await startHttp(deps, {}));
});
// The windows live in Postgres and outlast a file: start each test with this database's empty.
beforeEach(async () => {
  await deps.db.rateLimit.deleteMany({});
});
afterAll(async () => {
  server.close();
  await deps.db.$disconnect();
});

it("sign-up is rate limited per client address, and a spoofed X-Forwarded-For does not get a fresh bucket", async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 5; i++) {
    const spoof = { "x-forwarded-for": `203.0.113.${i}`, "x-berth-client-ip": `198.51.100.${i}` };
    statuses.push((await new Client(base).signUp(`rl-${i}-${Date.now()}@example.test`, "correct horse battery", spoof)).status);
  }
  // Whatever each attempt's own outcome (sign-up may be closed), the 4th and 5th hit the limit.
  expect(statuses.slice(3)).toEqual([429, 429]);
  expect(statuses.slice(0, 3)).not.toContain(429);
});

it("sign-in is limited per account too, whatever the address (behind a trusted proxy, each attempt from its own address)", async () => {
  const proxied = { ...deps, env: { ...deps.env, BERTH_TRUSTED_PROXIES: ["127.0.0.1"] } };
  const behindProxy = await startHttp(proxied, {});
  try {
    const email = `rla-${Date.now()}@example.test`;
    const replies: { status: number; body: string }[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${behindProxy.base}/api/auth/sign-in/email`, {
        method: "POST",
        headers: { "content-type": "application/json", origin: behindProxy.base, "x-forwarded-for": `203.0.113.${i + 1}` },
        body: JSON.stringify({ email, password: "wrong password here" }),
      });
      replies.push({ status: res.status, body: await res.text() });
    }
    // Ten distinct addresses each stay under their own limit; the account's budget is 10.
    expect(replies.slice(0, 10).map((r) => r.status)).not.toContain(429);
    expect(replies[10]?.status).toBe(429);
    expect(replies[10]?.body).toMatch(/Too many sign-in attempts for this account/);
  } finally {
    await behindProxy.io.close();
    behindProxy.server.close();
  }
});

it("two Berth processes on one database share the address budget (the 4th sign-up is refused by the other one)", async () => {
  // Its own deps object, as another process has (startHttp sets the public URL on the one it gets).
  const other = await startHttp({ ...deps }, {});
  try {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const target = i % 2 === 0 ? base : other.base;
      statuses.push((await new Client(target).signUp(`rl2-${i}-${Date.now()}@example.test`, "correct horse battery")).status);
    }
    // Per process in memory, each would have allowed its two; shared, the 4th is over the budget of 3.
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
  } finally {
    await other.io.close();
    other.server.close();
  }
});
