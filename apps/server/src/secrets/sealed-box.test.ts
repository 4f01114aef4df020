import { describe, expect, it } from "vitest";
import { SealError, SealedBox, isSealed } from "./sealed-box.ts";

const SECRET = "a".repeat(64);
const OTHER = "b".repeat(64);

describe("SealedBox", () => {
  it("seals to a versioned ciphertext that opens to the plaintext and never contains it", () => {
    const box = new SealedBox(SECRET);
    const sealed = box.seal("s3cr3t-sentinel-value");
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).toMatch(new RegExp(`^berth:v1:${box.keyId}:[A-Za-z0-9_-]+$`));
    expect(sealed).not.toContain("s3cr3t");
    expect(box.open(sealed)).toBe("s3cr3t-sentinel-value");
    expect(box.seal("x")).not.toBe(box.seal("x")); // fresh IV every time
  });

  it("fails closed on every tampered byte, a truncated value, a foreign key and a malformed value", () => {
    const box = new SealedBox(SECRET);
    const sealed = box.seal("payload");
    const body = sealed.slice(sealed.lastIndexOf(":") + 1);
    const raw = Buffer.from(body, "base64url");
    for (let i = 0; i < raw.length; i++) {
      const bad = Buffer.from(raw);
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      expect(() => box.open(sealed.replace(body, bad.toString("base64url")))).toThrow(SealError);
    }
    expect(() => box.open(sealed.slice(0, sealed.length - 30))).toThrow(SealError);
    expect(() => new SealedBox(OTHER).open(sealed)).toThrow(/No key/);
    expect(() => box.open("plaintext")).toThrow(SealError);
    expect(() => box.open(`berth:v1:zzzzzzzz:${body}`)).toThrow(SealError);
    // The key id is authenticated: relabelling a value with another known key id fails too.
    const both = new SealedBox(OTHER, [SECRET]);
    expect(() => both.open(sealed.replace(box.keyId, both.keyId))).toThrow(SealError);
  });

  it("rotates: a box with the new secret and the old one as previous opens old values and re-seals them under the new key", () => {
    const old = new SealedBox(SECRET);
    const sealed = old.seal("rotate me");
    const rotated = new SealedBox(OTHER, [SECRET]);
    expect(rotated.needsReseal(sealed)).toBe(true);
    const resealed = rotated.reseal(sealed);
    expect(rotated.needsReseal(resealed)).toBe(false);
    expect(new SealedBox(OTHER).open(resealed)).toBe("rotate me");
  });

  it("refuses a short instance secret", () => {
    expect(() => new SealedBox("short")).toThrow(SealError);
  });
});
