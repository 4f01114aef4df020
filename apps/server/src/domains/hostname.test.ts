import { describe, expect, it } from "vitest";
import { defaultHostname, parseBareHostname, isWildcardIpName, parseHostname, parseIpAllowList, parsePathPrefix } from "./hostname.ts";

describe("parseHostname", () => {
  it("normalises case and a trailing dot", () => {
    expect(parseHostname(" App.Example.COM. ")).toEqual({ ok: true, hostname: "app.example.com" });
    expect(parseHostname("web-p1.localhost")).toEqual({ ok: true, hostname: "web-p1.localhost" });
  });

  it.each([
    ["", /Enter a hostname/],
    ["localhost", /fully qualified/],
    ["10.0.0.1", /not an IP/],
    ["::1", /not an IP/],
    ["*.example.com", /Wildcard/],
    ["-a.example.com", /"-a" is not a valid DNS label/],
    ["a_b.example.com", /"a_b"/],
    ["a..b.com", /"" is not a valid DNS label/],
    [`${"a".repeat(64)}.com`, /at most 63/],
    [`${"a.".repeat(130)}com`, /253/],
    ["exa mple.com", /not a valid DNS label/],
  ])("refuses %j", (input, message) => {
    const r = parseHostname(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("parseBareHostname", () => {
  it("says what to leave out of a URL, a path or a port", () => {
    expect(parseBareHostname("https://berth.example.com")).toEqual({
      ok: false,
      error: "Enter only the hostname, without http:// or https://",
    });
    expect(parseBareHostname("berth.example.com/app")).toEqual({ ok: false, error: "Enter only the hostname, without a path" });
    expect(parseBareHostname("berth.example.com:8443")).toEqual({ ok: false, error: "Enter only the hostname, without a port" });
    expect(parseBareHostname(" Berth.Example.com. ")).toEqual({ ok: true, hostname: "berth.example.com" });
    expect(parseBareHostname("10.0.0.5")).toMatchObject({ ok: false, error: "Enter a hostname, not an IP address" });
    expect(parseBareHostname("bad_label.example.com")).toMatchObject({ ok: false });
  });
});

describe("parsePathPrefix", () => {
  it("accepts empty and /segments, dropping a trailing slash", () => {
    expect(parsePathPrefix("")).toEqual({ ok: true, pathPrefix: "" });
    expect(parsePathPrefix("/")).toEqual({ ok: true, pathPrefix: "" });
    expect(parsePathPrefix("/api/v1/")).toEqual({ ok: true, pathPrefix: "/api/v1" });
  });

  it.each(["api", "/a b", "/../etc", "/a//b", "/a?x=1", "/{http.request.uri}"])("refuses %j", (input) => {
    expect(parsePathPrefix(input).ok).toBe(false);
  });
});

describe("defaultHostname", () => {
  it("is <service>-<project>.<base>, with localhost when no base domain is set", () => {
    expect(defaultHostname({ serviceName: "web", projectName: "Shop Front", baseDomain: "apps.example.com" })).toBe(
      "web-shop-front.apps.example.com",
    );
    expect(defaultHostname({ serviceName: "web", projectName: "shop", baseDomain: "" })).toBe("web-shop.localhost");
    expect(defaultHostname({ serviceName: "web", projectName: "shop", baseDomain: ".Apps.Example.com.", suffix: "1a2b3c4d" })).toBe(
      "web-shop-1a2b3c4d.apps.example.com",
    );
  });

  it("keeps the first label within 63 characters", () => {
    const host = defaultHostname({ serviceName: "s".repeat(40), projectName: "p".repeat(40), baseDomain: "x.io" });
    expect(host.split(".")[0]!.length).toBeLessThanOrEqual(63);
  });
});

describe("parseIpAllowList", () => {
  it("accepts addresses and CIDRs, drops blanks and duplicates", () => {
    expect(parseIpAllowList(["10.0.0.0/8", " 192.168.1.7 ", "", "10.0.0.0/8", "2001:db8::/32"])).toEqual({
      ok: true,
      list: ["10.0.0.0/8", "192.168.1.7", "2001:db8::/32"],
    });
  });

  it.each([
    "10.0.0.0/33",
    "300.1.1.1",
    "example.com",
    "10.0.0.1/8/1",
    "1.2.3.4; rm -rf /",
    ":::::",
    "1:2",
    "127.1",
    "0x7f.0.0.1",
    "fe80::1%eth0",
    "{env.HOME}",
  ])("refuses %j", (entry) => {
    expect(parseIpAllowList([entry]).ok).toBe(false);
  });
});

describe("default domains for remote viewers", () => {
  const names = { serviceName: "Web", projectName: "Shop" };
  it("uses the base domain when set, else the public IP's wildcard-DNS name, else localhost (loopback or no address)", () => {
    expect(defaultHostname({ ...names, baseDomain: "apps.example.com", publicIp: "203.0.113.7" })).toBe("web-shop.apps.example.com");
    expect(defaultHostname({ ...names, baseDomain: "", publicIp: "203.0.113.7" })).toBe("web-shop.203-0-113-7.sslip.io");
    expect(defaultHostname({ ...names, baseDomain: "", publicIp: "127.0.0.1" })).toBe("web-shop.localhost");
    expect(defaultHostname({ ...names, baseDomain: "", publicIp: "" })).toBe("web-shop.localhost");
    expect(defaultHostname({ ...names, baseDomain: "" })).toBe("web-shop.localhost");
  });

  it("recognises wildcard-IP names", () => {
    expect(isWildcardIpName("web-shop.203-0-113-7.sslip.io")).toBe(true);
    expect(isWildcardIpName("203-0-113-7.sslip.io")).toBe(true);
    expect(isWildcardIpName("web-shop.localhost")).toBe(false);
    expect(isWildcardIpName("evil-sslip.io")).toBe(false);
    expect(isWildcardIpName("x.203-0-113-7.sslip.io.example.com")).toBe(false);
  });
});
