import { describe, expect, it } from "vitest";
import { FixedWindowLimiter } from "./rate-limiter.ts";

describe("FixedWindowLimiter", () => {
  it("allows max hits per key per window, then refuses until the window ends", () => {
    let now = 0;
    const limiter = new FixedWindowLimiter({ max: 2, windowMs: 1000, now: () => now });
    expect([limiter.hit("a"), limiter.hit("a"), limiter.hit("a")]).toEqual([true, true, false]);
    expect(limiter.hit("b")).toBe(true);
    now = 1000;
    expect(limiter.hit("a")).toBe(true);
  });
});
