import { describe, expect, it } from "vitest";
import { buildAuthConfig, encodeRegistryAuth, registryOf } from "./registry-auth.ts";
import { buildReleaseImageRef, planRetention } from "./release-images.ts";

describe("buildReleaseImageRef", () => {
  it("uses lowercase ids as they are", () => {
    expect(buildReleaseImageRef("svc_1", "dep-1")).toEqual({
      repository: "berth-release/svc_1",
      tag: "dep-1",
      ref: "berth-release/svc_1:dep-1",
    });
  });
  it("hashes ids that are not valid repository components or tags, deterministically", () => {
    const a = buildReleaseImageRef("SvcUpper", "-dash-first");
    expect(a.repository).toMatch(/^berth-release\/h-[0-9a-f]{16}$/);
    expect(a.tag).toMatch(/^h-[0-9a-f]{16}$/);
    expect(buildReleaseImageRef("SvcUpper", "-dash-first")).toEqual(a);
    expect(buildReleaseImageRef("svcupper", "x").repository).not.toBe(a.repository);
  });
  it("rejects ids with path characters", () => {
    expect(() => buildReleaseImageRef("../x", "d")).toThrow(/invalid service id/);
  });
});

describe("planRetention", () => {
  const images = [
    { id: "a", tags: ["r:1"] },
    { id: "b", tags: ["r:2", "r:2b", "r:2c"] },
    { id: "c", tags: ["r:3"] },
  ];
  it("removes every tag not kept, also of an image that keeps another (one image redeployed)", () => {
    expect(planRetention({ images, inUse: new Set(), keep: new Set(["r:2c", "r:3"]) }).sort()).toEqual(["r:1", "r:2", "r:2b"]);
  });
  it("leaves an image a container uses one tag, however old", () => {
    expect(planRetention({ images, inUse: new Set(["a", "b"]), keep: new Set(["r:3"]) }).sort()).toEqual(["r:2b", "r:2c"]);
  });
  it("keeping nothing removes every tag of images not in use; keeping all removes nothing", () => {
    expect(planRetention({ images, inUse: new Set(), keep: new Set() })).toHaveLength(5);
    expect(planRetention({ images, inUse: new Set(), keep: new Set(images.flatMap((i) => i.tags)) })).toEqual([]);
  });
});

describe("registry credentials", () => {
  it("finds the registry of an image", () => {
    expect(registryOf("nginx")).toBe("docker.io");
    expect(registryOf("library/nginx:1")).toBe("docker.io");
    expect(registryOf("ghcr.io/a/b:1")).toBe("ghcr.io");
    expect(registryOf("127.0.0.1:5000/a")).toBe("127.0.0.1:5000");
    expect(registryOf("localhost/a")).toBe("localhost");
  });
  it("builds the authconfig the engine expects, and its X-Registry-Auth encoding", () => {
    const auth = buildAuthConfig("ghcr.io/a/b:1", { username: "u", password: "p+/?", serveraddress: "ghcr.io" });
    expect(auth).toEqual({ username: "u", password: "p+/?", serveraddress: "ghcr.io" });
    const header = encodeRegistryAuth(auth);
    expect(header).not.toMatch(/[+/]/);
    expect(JSON.parse(Buffer.from(header.replace(/-/g, "+").replace(/_/g, "/"), "base64").toString())).toEqual(auth);
    expect(buildAuthConfig("ghcr.io/a", { identitytoken: "tok", serveraddress: "ghcr.io" })).toEqual({
      identitytoken: "tok",
      serveraddress: "ghcr.io",
    });
  });
  it("rejects credentials for another registry or malformed ones, without echoing the password", () => {
    expect(() => buildAuthConfig("ghcr.io/a", { username: "u", password: "secret1", serveraddress: "evil.example" })).toThrow(
      /for evil.example, the image is on ghcr.io/,
    );
    expect(() => buildAuthConfig("ghcr.io/a", { username: "u\nx", password: "p", serveraddress: "ghcr.io" })).toThrow(/username/);
    expect(() => buildAuthConfig("ghcr.io/a", { username: "u", password: "", serveraddress: "ghcr.io" })).toThrow(/password/);
    let thrown: unknown = null;
    try {
      buildAuthConfig("ghcr.io/a", { username: "u", password: "secret1", serveraddress: "x y" });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(String(thrown)).not.toContain("secret1");
  });
});
