import { describe, expect, it } from "vitest";
import { familiarRepository, repoDigestFor } from "./image-ref.ts";

const D = `sha256:${"a".repeat(64)}`;

describe("familiarRepository", () => {
  it.each([
    ["nginx", "nginx"],
    ["nginx:1.27", "nginx"],
    ["docker.io/library/nginx:1.27", "nginx"],
    ["docker.io/acme/api:2", "acme/api"],
    [`nginx@${D}`, "nginx"],
    ["127.0.0.1:5000/a/b:1", "127.0.0.1:5000/a/b"],
    ["ghcr.io/library/x:1", "ghcr.io/library/x"],
  ])("%s -> %s", (ref, repo) => {
    expect(familiarRepository(ref)).toBe(repo);
  });
});

describe("repoDigestFor", () => {
  it("picks the digest of the reference's own repository only", () => {
    const digests = [`127.0.0.1:5000/other@${D}`, `nginx@${D}`];
    expect(repoDigestFor("docker.io/library/nginx:latest", digests)).toBe(`nginx@${D}`);
    expect(repoDigestFor("127.0.0.1:5000/other:2", digests)).toBe(`127.0.0.1:5000/other@${D}`);
    expect(repoDigestFor("berth-test/local:1", digests)).toBeNull();
    expect(repoDigestFor("nginx", null)).toBeNull();
  });
});
