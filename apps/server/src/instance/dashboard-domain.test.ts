import { describe, expect, it } from "vitest";
import { dashboardOrigin } from "./dashboard-origin.ts";

describe("dashboardOrigin", () => {
  it("is https on the proxy's HTTPS port, without :443", () => {
    expect(dashboardOrigin("berth.example.com", 443)).toBe("https://berth.example.com");
    expect(dashboardOrigin("berth.localhost", 8443)).toBe("https://berth.localhost:8443");
  });
});
