import { describe, expect, it } from "vitest";
import { parseCustomCertificate } from "./certificate.ts";
import { OTHER_KEY_PEM, TEST_CERT_PEM, TEST_KEY_PEM } from "./certificate-fixtures.ts";

const now = new Date("2027-01-01T00:00:00Z");

describe("parseCustomCertificate", () => {
  it("accepts a certificate covering the hostname with its key and reads its expiry", () => {
    const r = parseCustomCertificate(TEST_CERT_PEM, TEST_KEY_PEM, "app.example.test", now);
    expect(r.ok && r.value.notAfter.toISOString().slice(0, 10)).toBe("2036-11-25");
    expect(parseCustomCertificate(TEST_CERT_PEM, TEST_KEY_PEM, "www.app.example.test", now).ok).toBe(true);
  });

  it.each([
    ["not PEM", "hello", TEST_KEY_PEM, "app.example.test", now, "certPem", /PEM certificate/],
    [
      "garbage PEM",
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
      TEST_KEY_PEM,
      "app.example.test",
      now,
      "certPem",
      /PEM certificate/,
    ],
    ["bad key", TEST_CERT_PEM, "nope", "app.example.test", now, "keyPem", /private key/],
    ["key of another certificate", TEST_CERT_PEM, OTHER_KEY_PEM, "app.example.test", now, "keyPem", /does not belong/],
    ["other hostname", TEST_CERT_PEM, TEST_KEY_PEM, "evil.example.test", now, "certPem", /does not cover evil.example.test/],
    ["expired", TEST_CERT_PEM, TEST_KEY_PEM, "app.example.test", new Date("2037-01-01"), "certPem", /expired on 2036-11-25/],
    ["not yet valid", TEST_CERT_PEM, TEST_KEY_PEM, "app.example.test", new Date("2020-01-01"), "certPem", /not valid yet/],
  ])("refuses %s", (_name, cert, key, host, at, field, message) => {
    const r = parseCustomCertificate(cert, key, host, at);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.field).toBe(field);
      expect(r.error).toMatch(message);
    }
  });
});
