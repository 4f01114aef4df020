import { describe, expect, it } from "vitest";
import { assertValidSecrets, buildSecretMask, SECRET_MASK } from "./build-secrets.ts";

describe("buildSecretMask", () => {
  it("masks every occurrence, longest value first, and each line of a multi-line value", () => {
    const mask = buildSecretMask({ a: "abc", b: "abcdef", pem: "line-one\nline-two" });
    expect(mask("x abcdef y abc z")).toBe(`x ${SECRET_MASK} y ${SECRET_MASK} z`);
    expect(mask("got line-two")).toBe(`got ${SECRET_MASK}`);
    expect(buildSecretMask({})("abc")).toBe("abc");
    expect(buildSecretMask({ e: "" })("abc")).toBe("abc");
  });
});

describe("assertValidSecrets", () => {
  it("accepts plain ids and refuses path-like ids", () => {
    expect(() => assertValidSecrets({ NPM_TOKEN: "x", "a.b-c": "y" }, "build")).not.toThrow();
    expect(() => assertValidSecrets({ "../x": "y" }, "build")).toThrow(/build secret id/);
    expect(() => assertValidSecrets({ "": "y" }, "build")).toThrow(/build secret id/);
  });
});
