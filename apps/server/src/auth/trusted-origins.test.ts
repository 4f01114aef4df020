import { describe, expect, it } from "vitest";
import { isTrustedOrigin, trustedOrigins, untrustedOriginMessage } from "./trusted-origins.ts";

const env = { publicUrl: "https://berth.example.com", BERTH_PORT: 3000, BERTH_TRUSTED_ORIGINS: ["http://10.0.0.5:3000"] };

describe("trusted origins", () => {
  it("lists the public URL, loopback at BERTH_PORT and the configured extras", () => {
    expect(trustedOrigins(env)).toEqual([
      "https://berth.example.com",
      "http://127.0.0.1:3000",
      "http://localhost:3000",
      "http://[::1]:3000",
      "http://10.0.0.5:3000",
    ]);
  });

  it("adds the dashboard domain's https origin when one is set", () => {
    expect(trustedOrigins(env, "https://dash.example.org:8443")).toContain("https://dash.example.org:8443");
    expect(trustedOrigins(env, "")).toHaveLength(5);
  });

  it("accepts those origins and no others (another port, scheme or host)", () => {
    const origins = trustedOrigins(env, "https://dash.example.org");
    for (const origin of origins) expect(isTrustedOrigin(origins, origin)).toBe(true);
    expect(isTrustedOrigin(origins, undefined)).toBe(true);
    for (const origin of [
      "http://127.0.0.1:3001",
      "https://127.0.0.1:3000",
      "http://berth.example.com",
      "http://dash.example.org",
      "https://dash.example.org:444",
      "http://evil.example",
      "null",
      "::",
    ]) {
      expect(isTrustedOrigin(origins, origin), origin).toBe(false);
    }
  });

  it("names the URL to use when refusing", () => {
    expect(untrustedOriginMessage("https://berth.example.com", "http://192.168.1.9:3000")).toMatch(
      /Open https:\/\/berth\.example\.com instead.*http:\/\/192\.168\.1\.9:3000 to BERTH_TRUSTED_ORIGINS/,
    );
  });
});
