import { describe, expect, it } from "vitest";
import { clusterRouteKey } from "./route-key.ts";

describe("clusterRouteKey", () => {
  it("is a stable hex HMAC per service and secret", () => {
    const secret = "s".repeat(32);
    expect(clusterRouteKey(secret, "svc-1")).toMatch(/^[a-f0-9]{64}$/);
    expect(clusterRouteKey(secret, "svc-1")).toBe(clusterRouteKey(secret, "svc-1"));
    expect(clusterRouteKey(secret, "svc-2")).not.toBe(clusterRouteKey(secret, "svc-1"));
    expect(clusterRouteKey("t".repeat(32), "svc-1")).not.toBe(clusterRouteKey(secret, "svc-1"));
  });
});
