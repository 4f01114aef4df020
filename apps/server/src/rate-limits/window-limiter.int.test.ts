import { afterAll, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { testDeps } from "../../test/harness.ts";
import { WindowLimiter } from "./window-limiter.ts";

const deps = testDeps();
afterAll(() => deps.db.$disconnect());

it("allows max hits per key per window across limiter instances (processes), then refuses until the window ends", async () => {
  let now = 1_000_000;
  const name = `test-${randomUUID()}`;
  // Two instances stand for two processes: the budget is in Postgres, not in either.
  const a = new WindowLimiter({ name, max: 2, windowMs: 1000, now: () => now });
  const b = new WindowLimiter({ name, max: 2, windowMs: 1000, now: () => now });
  expect([await a.hit(deps.db, "k"), await b.hit(deps.db, "k"), await a.hit(deps.db, "k")]).toEqual([true, true, false]);
  expect(await b.isBlocked(deps.db, "k")).toBe(true);
  expect(await a.hit(deps.db, "other")).toBe(true);
  // Concurrent hits are counted one by one (the upsert is atomic): exactly max pass.
  const burst = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).hit(deps.db, "burst")));
  expect(burst.filter(Boolean)).toHaveLength(2);
  now += 1000;
  expect(await b.isBlocked(deps.db, "k")).toBe(false);
  expect(await b.hit(deps.db, "k")).toBe(true);
});
