import { afterAll, beforeAll, expect, it } from "vitest";
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
