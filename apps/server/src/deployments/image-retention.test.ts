import { describe, expect, it } from "vitest";
import { isRetained } from "./image-retention.ts";

describe("isRetained", () => {
  it("keeps exactly the newest `keep` release numbers", () => {
    expect([1, 2, 3, 4, 5].map((n) => isRetained(n, 5, 2))).toEqual([false, false, false, true, true]);
    expect(isRetained(1, 1, 1)).toBe(true);
  });
});
