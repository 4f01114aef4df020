import { describe, expect, it } from "vitest";
import { checkDns, expectedRecord, publicIpOf, type DnsResolver } from "./dns-check.ts";

function resolver(answers: Record<string, string[] | Error>): DnsResolver {
  return {
    resolve4: async (host) => {
      const a = answers[host];
      if (a instanceof Error) throw a;
      if (!a) throw Object.assign(new Error("not found"), { code: "ENOTFOUND" });
      return a;
    },
  };
}

describe("DNS check (injected resolver, no network)", () => {
  it("names the A record to create", () => {
    expect(expectedRecord("app.example.com", "203.0.113.7")).toEqual({ type: "A", name: "app.example.com", value: "203.0.113.7" });
    expect(expectedRecord("app.example.com", "").value).toMatch(/public IP/);
  });

  it("takes the public IP from the env or the public URL", () => {
    expect(publicIpOf({ BERTH_PROXY_PUBLIC_IP: "203.0.113.7", publicUrl: "https://berth.example.com" })).toBe("203.0.113.7");
    expect(publicIpOf({ BERTH_PROXY_PUBLIC_IP: "", publicUrl: "http://198.51.100.2:3000" })).toBe("198.51.100.2");
    expect(publicIpOf({ BERTH_PROXY_PUBLIC_IP: "", publicUrl: "https://berth.example.com" })).toBe("");
  });

  it("reports ok, mismatch, missing and errors; *.localhost never resolves", async () => {
    const r = resolver({
      "ok.example.com": ["203.0.113.7"],
      "bad.example.com": ["198.51.100.9"],
      "err.example.com": Object.assign(new Error("x"), { code: "ETIMEOUT" }),
    });
    expect(await checkDns(r, "ok.example.com", "203.0.113.7")).toEqual({ status: "ok", found: ["203.0.113.7"] });
    expect(await checkDns(r, "bad.example.com", "203.0.113.7")).toEqual({ status: "mismatch", found: ["198.51.100.9"] });
    expect(await checkDns(r, "none.example.com", "203.0.113.7")).toEqual({ status: "missing", found: [] });
    expect(await checkDns(r, "err.example.com", "203.0.113.7")).toMatchObject({ status: "error", error: "ETIMEOUT" });
    expect(await checkDns(resolver({}), "web-shop.localhost", "203.0.113.7")).toEqual({ status: "local", found: ["127.0.0.1"] });
  });
});
