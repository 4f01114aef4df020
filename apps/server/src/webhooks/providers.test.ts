import { describe, expect, it } from "vitest";
import { githubExamples, providerHeaders, pushFixtures } from "../../test/webhook-fixtures.ts";
import { deliveryIdOf, detectProvider, eventOf, parseEvent, safeEqual, verifySignature } from "./providers.ts";

const SECRET = "f".repeat(64);

describe("push payloads of every provider (documented examples)", () => {
  for (const fixture of pushFixtures()) {
    it(`${fixture.provider}: detected, verified over the raw body, parsed to the pushed branch and commit`, () => {
      const raw = Buffer.from(JSON.stringify(fixture.body));
      const headers = providerHeaders(fixture.provider, raw, SECRET, { deliveryId: "d-1" });
      expect(detectProvider(headers)).toBe(fixture.provider);
      expect(verifySignature(fixture.provider, headers, raw, SECRET)).toBe(true);
      const event = parseEvent(fixture.provider, eventOf(fixture.provider, headers), JSON.parse(raw.toString()));
      expect(event).toMatchObject({ kind: "push", branches: [{ branch: fixture.branch, commitSha: fixture.commitSha }] });
      expect(deliveryIdOf(fixture.provider, headers, raw)).toBe(`${fixture.provider}:d-1`);
    });

    it(`${fixture.provider}: refuses a wrong secret, a missing signature, a tampered body and a re-serialised body`, () => {
      const raw = Buffer.from(JSON.stringify(fixture.body, null, 1));
      const signed = providerHeaders(fixture.provider, raw, SECRET, { deliveryId: "d-2" });
      expect(
        verifySignature(fixture.provider, providerHeaders(fixture.provider, raw, "wrong-secret", { deliveryId: "x" }), raw, SECRET),
      ).toBe(false);
      expect(verifySignature(fixture.provider, providerHeaders(fixture.provider, raw, null, { deliveryId: "x" }), raw, SECRET)).toBe(false);
      const tampered = Buffer.from(raw.toString().replace(fixture.commitSha, "0".repeat(40)));
      expect(verifySignature(fixture.provider, signed, tampered, SECRET)).toBe(fixture.provider === "gitlab"); // GitLab signs nothing: its token is the whole proof
      expect(verifySignature(fixture.provider, signed, Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), SECRET)).toBe(
        fixture.provider === "gitlab",
      );
      expect(verifySignature(fixture.provider, signed, raw, "")).toBe(false); // no secret configured: nothing verifies
    });
  }

  it("GitHub ping and non-push events, deletions and tags deploy nothing", () => {
    expect(parseEvent("github", "ping", githubExamples("ping")[0])).toEqual({ kind: "ping" });
    expect(parseEvent("github", "issues", githubExamples("issues")[0])).toEqual({ kind: "other", event: "issues" });
    for (const example of githubExamples("push").filter((e) => e.deleted === true || String(e.ref).startsWith("refs/tags/"))) {
      expect(parseEvent("github", "push", example)).toMatchObject({ kind: "push", branches: [] });
    }
    expect(parseEvent("bitbucket", "diagnostics:ping", {})).toEqual({ kind: "ping" });
  });

  it("Gitea's GitHub-compatible headers do not make it a GitHub delivery", () => {
    expect(detectProvider({ "x-github-event": "push", "x-gitea-event": "push" })).toBe("gitea");
    expect(detectProvider({ "content-type": "application/json" })).toBeNull();
  });

  it("without a delivery id, the body's hash identifies a delivery", () => {
    expect(deliveryIdOf("github", {}, Buffer.from("a"))).toBe(deliveryIdOf("github", {}, Buffer.from("a")));
    expect(deliveryIdOf("github", {}, Buffer.from("a"))).not.toBe(deliveryIdOf("github", {}, Buffer.from("b")));
  });

  it("compares in constant time whatever the lengths", () => {
    expect(safeEqual("abc", "abc")).toBe(true);
    expect(safeEqual("abc", "abd")).toBe(false);
    expect(safeEqual("abc", "abcd")).toBe(false);
    expect(safeEqual("", "")).toBe(true);
  });
});
