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

  it("reads BERTH_TRUSTED_ORIGINS as origins and refuses a path or another scheme", () => {
    expect(readEnv(base).BERTH_TRUSTED_ORIGINS).toEqual([]);
    expect(readEnv({ ...base, BERTH_TRUSTED_ORIGINS: "https://Berth.Example.com, http://10.0.0.5:3000/" }).BERTH_TRUSTED_ORIGINS).toEqual([
      "https://berth.example.com",
      "http://10.0.0.5:3000",
    ]);
    expect(() => readEnv({ ...base, BERTH_TRUSTED_ORIGINS: "https://berth.example.com/app" })).toThrow(
      /BERTH_TRUSTED_ORIGINS must list origins/,
    );
    expect(() => readEnv({ ...base, BERTH_TRUSTED_ORIGINS: "ftp://x.example" })).toThrow(/BERTH_TRUSTED_ORIGINS/);
    expect(() => readEnv({ ...base, BERTH_TRUSTED_ORIGINS: "berth.example.com" })).toThrow(/BERTH_TRUSTED_ORIGINS/);
  });

  it("reads BERTH_DASHBOARD_DOMAIN as a bare hostname and names what to leave out", () => {
    expect(readEnv(base).BERTH_DASHBOARD_DOMAIN).toBe("");
    expect(readEnv({ ...base, BERTH_DASHBOARD_DOMAIN: "Berth.Example.com" }).BERTH_DASHBOARD_DOMAIN).toBe("berth.example.com");
    expect(() => readEnv({ ...base, BERTH_DASHBOARD_DOMAIN: "https://berth.example.com" })).toThrow(
      /BERTH_DASHBOARD_DOMAIN: Enter only the hostname, without http/,
    );
  });
});
