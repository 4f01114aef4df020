import { describe, expect, it } from "vitest";
import { readEnv } from "./env.ts";

const base: NodeJS.ProcessEnv = { NODE_ENV: "test", DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db", BERTH_SECRET: "x".repeat(64) };

describe("readEnv", () => {
  it("keeps the auth rate limit on and trusts no proxy by default", () => {
    const env = readEnv(base);
    expect(env.BERTH_AUTH_RATE_LIMIT).toBe("on");
    expect(env.BERTH_TRUSTED_PROXIES).toEqual([]);
  });

  it("reads trusted proxies as a list of addresses and refuses anything else", () => {
    expect(readEnv({ ...base, BERTH_TRUSTED_PROXIES: "10.0.0.1, ::1" }).BERTH_TRUSTED_PROXIES).toEqual(["10.0.0.1", "::1"]);
    expect(() => readEnv({ ...base, BERTH_TRUSTED_PROXIES: "proxy.local" })).toThrow(/BERTH_TRUSTED_PROXIES must list IP addresses/);
    expect(() => readEnv({ ...base, BERTH_AUTH_RATE_LIMIT: "maybe" })).toThrow(/BERTH_AUTH_RATE_LIMIT/);
  });
});
