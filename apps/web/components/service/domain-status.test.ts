import { describe, expect, it } from "vitest";
import { certificateSentence, dnsSentence } from "./domain-status";

describe("domain status sentences", () => {
  it("describes every DNS outcome", () => {
    expect(dnsSentence({ status: "ok", found: ["203.0.113.7"] }, "203.0.113.7")).toBe("DNS points here (203.0.113.7)");
    expect(dnsSentence({ status: "mismatch", found: ["1.2.3.4"] }, "203.0.113.7")).toBe("DNS points to 1.2.3.4, expected 203.0.113.7");
    expect(dnsSentence({ status: "missing", found: [] }, "x")).toMatch(/No A record/);
    expect(dnsSentence({ status: "local", found: ["127.0.0.1"] }, "x")).toMatch(/localhost/);
    expect(dnsSentence({ status: "error", found: [], error: "ETIMEOUT" }, "x")).toMatch(/ETIMEOUT/);
    expect(dnsSentence(undefined, "x")).toMatch(/Checking/);
  });

  it("describes the certificate", () => {
    expect(certificateSentence(undefined, "2036-11-25T07:52:44.000Z")).toBe("Custom certificate, valid until 2036-11-25");
    expect(
      certificateSentence(
        { source: "internal", served: { issuer: "Caddy Local Authority", validTo: "2026-11-29T00:00:00.000Z" }, status: "active" },
        null,
      ),
    ).toBe("HTTPS active: Caddy Local Authority, valid until 2026-11-29");
    expect(certificateSentence({ source: "automatic", served: null, status: "pending" }, null)).toMatch(/once DNS points here/);
    expect(certificateSentence({ source: "internal", served: null, status: "proxy down" }, null)).toMatch(/proxy is down/);
  });
});
