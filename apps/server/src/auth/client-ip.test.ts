import { describe, expect, it } from "vitest";
import { clientIpOf } from "./client-ip.ts";

describe("clientIpOf", () => {
  it("uses the socket peer and ignores X-Forwarded-For from an untrusted peer", () => {
    expect(clientIpOf("::ffff:198.51.100.7", "203.0.113.1", [])).toBe("198.51.100.7");
    expect(clientIpOf("198.51.100.7", "203.0.113.1", ["10.0.0.1"])).toBe("198.51.100.7");
  });

  it("reads X-Forwarded-For from the right when the peer is a trusted proxy", () => {
    expect(clientIpOf("10.0.0.1", "203.0.113.1", ["10.0.0.1"])).toBe("203.0.113.1");
    // A client-forged left entry is not believed: the right-most untrusted hop wins.
    expect(clientIpOf("10.0.0.1", "1.2.3.4, 203.0.113.9", ["10.0.0.1"])).toBe("203.0.113.9");
    expect(clientIpOf("10.0.0.1", "203.0.113.9, 10.0.0.2", ["10.0.0.1", "10.0.0.2"])).toBe("203.0.113.9");
  });

  it("falls back to the peer when a trusted proxy sends no header", () => {
    expect(clientIpOf("10.0.0.1", undefined, ["10.0.0.1"])).toBe("10.0.0.1");
  });
});
