import { describe, expect, it } from "vitest";
import { OVERSCAN, ROW_PX, visibleRange } from "./visible-range";

describe("visibleRange", () => {
  it("renders the rows in view plus the overscan, whatever the total", () => {
    const view = { scrollTop: 50_000 * ROW_PX, height: 20 * ROW_PX };
    expect(visibleRange({ ...view, count: 100_000 })).toEqual({ first: 50_000 - OVERSCAN, last: 50_020 + OVERSCAN });
  });

  it("clamps at the top and at the end", () => {
    expect(visibleRange({ scrollTop: 0, height: 400, count: 100_000 })).toEqual({ first: 0, last: 20 + OVERSCAN });
    expect(visibleRange({ scrollTop: 1990 * ROW_PX, height: 400, count: 2000 })).toEqual({ first: 1990 - OVERSCAN, last: 2000 });
  });

  it("is empty for no rows, and never inverted after the list shrank under the scroll position", () => {
    expect(visibleRange({ scrollTop: 0, height: 400, count: 0 })).toEqual({ first: 0, last: 0 });
    const shrunk = visibleRange({ scrollTop: 10_000 * ROW_PX, height: 400, count: 10 });
    expect(shrunk.last).toBeGreaterThanOrEqual(shrunk.first);
  });
});
