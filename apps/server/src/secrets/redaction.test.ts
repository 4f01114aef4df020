import { describe, expect, it } from "vitest";
import { REDACTED, redact, redactionNeedles } from "./redaction.ts";

const SECRET = "hunter2-sentinel-Zq9";

describe("redaction", () => {
  it("masks the value itself", () => {
    expect(redact(`DB_PASSWORD=${SECRET} ok`, redactionNeedles([SECRET]))).toBe(`DB_PASSWORD=${REDACTED} ok`);
  });

  it("masks base64 forms at every alignment, standard and url-safe", () => {
    const needles = redactionNeedles([SECRET]);
    for (const prefix of ["", "a", "ab", "abc", "user:"]) {
      for (const encoding of ["base64", "base64url"] as const) {
        const encoded = Buffer.from(prefix + SECRET + "\n").toString(encoding);
        const out = redact(`line ${encoded} end`, needles);
        expect(out).toContain(REDACTED);
        // what is left cannot be decoded back into the secret
        expect(Buffer.from(out.replace(/^line | end$/g, ""), encoding).toString()).not.toContain(SECRET);
      }
    }
  });

  it("ignores values too short to mask safely and leaves other text alone", () => {
    expect(redactionNeedles(["abc", ""])).toEqual([]);
    expect(redact("nothing secret here", redactionNeedles([SECRET]))).toBe("nothing secret here");
  });

  it("masks each line of a multi-line secret", () => {
    const key = "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\n-----END KEY-----";
    expect(redact("AAAABBBBCCCCDDDD", redactionNeedles([key]))).toBe(REDACTED);
  });
});
