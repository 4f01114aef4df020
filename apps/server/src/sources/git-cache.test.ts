import { describe, expect, it } from "vitest";
import { fetchRefspec, isCacheFault } from "./cached-checkout.ts";
import { gitCacheDir } from "./git-cache.ts";

describe("the cached checkout's pure parts", () => {
  it("fetches the pinned commit when there is one, else the branch head, into the one kept ref", () => {
    expect(fetchRefspec("main", null)).toBe("+refs/heads/main:refs/berth/last");
    expect(fetchRefspec("release/v2", undefined)).toBe("+refs/heads/release/v2:refs/berth/last");
    expect(fetchRefspec("main", "0123456789abcdef0123456789abcdef01234567")).toBe(
      "+0123456789abcdef0123456789abcdef01234567:refs/berth/last",
    );
  });

  it("tells a broken cache from a failure of the repository", () => {
    // A path holding "403" is still a lock left behind, not a refused credential.
    expect(isCacheFault(["fatal: Unable to create '/var/lib/berth/git-cache/4031-aa/.git/shallow.lock': File exists."], "main")).toBe(true);
    expect(isCacheFault(["error: bad object 1234567"], "main")).toBe(true);
    expect(isCacheFault(["fatal: something git says that nobody explained"], "main")).toBe(true);
    expect(isCacheFault(["fatal: couldn't find remote ref refs/heads/nope"], "nope")).toBe(false);
    expect(isCacheFault(["fatal: unable to access 'https://example.com/': Could not resolve host: example.com"], "main")).toBe(false);
    expect(isCacheFault(["remote: HTTP Basic: Access denied", "fatal: Authentication failed"], "main")).toBe(false);
  });

  it("names a service's cache under the configured root, and nothing that is not a service id", () => {
    expect(gitCacheDir({ BERTH_GIT_CACHE_DIR: "/var/lib/berth/git-cache/" }, "4f1c2b9e-0d3a-4b7c-9e1f-2a3b4c5d6e7f")).toBe(
      "/var/lib/berth/git-cache/4f1c2b9e-0d3a-4b7c-9e1f-2a3b4c5d6e7f",
    );
    expect(gitCacheDir({}, "abc")).toBe("/var/lib/berth/git-cache/abc");
    for (const bad of ["..", "../etc", "a/b", "", "a b"]) expect(() => gitCacheDir({}, bad)).toThrow(/Not a service id/);
  });
});
