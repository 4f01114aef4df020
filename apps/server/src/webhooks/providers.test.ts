import { describe, expect, it } from "vitest";
import { githubExamples, providerHeaders, pushFixtures } from "../../test/webhook-fixtures.ts";
import { createHmac } from "node:crypto";
import {
  deliveryBody,
  deliveryIdOf,
  detectProvider,
  eventOf,
  parseEvent,
  pushTo,
  safeEqual,
  sameProvider,
  verifySignature,
} from "./providers.ts";

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

const hmacHex = (secret: string, body: Buffer | string) => createHmac("sha256", secret).update(body).digest("hex");
const PUSH = { ref: "refs/heads/main", after: "a".repeat(40), head_commit: { message: "m" } };

describe("deliveries as git hosts send them besides JSON", () => {
  it("a form-encoded hook (GitHub's API default) is read: GitHub signs the body as sent, Gitea and Forgejo the JSON inside", () => {
    const json = JSON.stringify(PUSH);
    const form = Buffer.from(new URLSearchParams({ payload: json }).toString());
    const type = { "content-type": "application/x-www-form-urlencoded" };
    const github = { ...type, "x-github-event": "push", "x-hub-signature-256": `sha256=${hmacHex(SECRET, form)}` };
    const gitea = { ...type, "x-gitea-event": "push", "x-gitea-signature": hmacHex(SECRET, json) };
    for (const [provider, headers] of [
      ["github", github],
      ["gitea", gitea],
    ] as const) {
      const body = deliveryBody(provider, headers, form);
      expect(body.json).toBe(json);
      expect(verifySignature(provider, headers, body.signed, SECRET)).toBe(true);
      expect(verifySignature(provider, headers, form, SECRET)).toBe(provider === "github");
    }
    // JSON as usual: the raw body is both.
    const raw = Buffer.from(json);
    expect(deliveryBody("gitea", { "content-type": "application/json" }, raw)).toEqual({ signed: raw, json });
  });

  it("Gogs (Gitea's origin) is read as Gitea: its event, signature and delivery headers", () => {
    const raw = Buffer.from(JSON.stringify(PUSH));
    const headers = { "x-gogs-event": "push", "x-gogs-signature": hmacHex(SECRET, raw), "x-gogs-delivery": "g-1" };
    expect(detectProvider(headers)).toBe("gitea");
    expect(verifySignature("gitea", headers, raw, SECRET)).toBe(true);
    expect(eventOf("gitea", headers)).toBe("push");
    expect(deliveryIdOf("gitea", headers, raw)).toBe("gitea:g-1");
  });

  it("Gitea and Forgejo accept each other's deliveries (an upgrade or a migration); other hosts do not", () => {
    expect([sameProvider("gitea", "forgejo"), sameProvider("forgejo", "gitea"), sameProvider("gitea", "gitea")]).toEqual([
      true,
      true,
      true,
    ]);
    expect([sameProvider("github", "gitea"), sameProvider("gitlab", "github")]).toEqual([false, false]);
  });

  it("a Bitbucket tag push says so, Cloud and Data Center; a push names its reason when it does not deploy", () => {
    const cloud = { push: { changes: [{ new: { type: "tag", name: "v1", target: { hash: "b".repeat(40) } }, old: null }] } };
    const server = { changes: [{ ref: { id: "refs/tags/v1", type: "TAG" }, toHash: "c".repeat(40), type: "ADD" }] };
    for (const [event, body] of [
      ["repo:push", cloud],
      ["repo:refs_changed", server],
    ] as const)
      expect(pushTo(parseEvent("bitbucket", event, body), "main")).toEqual({ skip: "Tag pushes do not deploy" });
    expect(pushTo(parseEvent("github", "push", PUSH), "dev")).toEqual({ skip: "No new commit on dev in this push" });
    expect(pushTo(parseEvent("github", "create", {}), "main")).toEqual({ skip: "The create event does not deploy" });
    expect(pushTo(parseEvent("github", "push", PUSH), "main")).toEqual({
      push: { branch: "main", commitSha: "a".repeat(40), message: "m" },
    });
  });
});
