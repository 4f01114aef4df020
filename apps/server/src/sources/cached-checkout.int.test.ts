import { afterAll, beforeAll, expect, it } from "vitest";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { cachedCheckout } from "./cached-checkout.ts";
import { checkGitUrl } from "./git-url.ts";

let fixture: GitFixture;
let root: string;

beforeAll(async () => {
  fixture = await startGitFixture({ "version.txt": "v1\n" });
  root = await mkdtemp(path.join(tmpdir(), "berth-cache-test-"));
});

afterAll(async () => {
  await fixture.close();
  await rm(root, { recursive: true, force: true });
});

function request(cacheDir: string, commit: string | null = null) {
  const repo = checkGitUrl(fixture.url, { allowLocalSources: true });
  if ("error" in repo) throw new Error(repo.error);
  return { repo, branch: "main", commit, auth: {}, signal: AbortSignal.timeout(60_000), onLine: () => undefined, cacheDir };
}

it("a cache git cannot use (a lock left by a killed run) is made again; a cache in use sends the next deployment to a fresh clone", async () => {
  const cacheDir = path.join(root, "svc-a");
  const first = await cachedCheckout(request(cacheDir));
  expect(first.cache).toBe("new");
  // Held: a second deployment of the service does not wait, it clones afresh elsewhere.
  const second = await cachedCheckout(request(cacheDir));
  expect(second.cache).toBe("busy");
  expect(second.dir).not.toBe(cacheDir);
  expect(await readFile(path.join(second.dir, "version.txt"), "utf8")).toBe("v1\n");
  await second.cleanup();
  await first.cleanup();

  // A killed fetch's lock file: git refuses the cache; it is discarded and fetched again.
  await writeFile(path.join(cacheDir, ".git", "shallow.lock"), "");
  const sha = fixture.commit({ "version.txt": "v2\n" }, "v2");
  const lines: string[] = [];
  const again = await cachedCheckout({ ...request(cacheDir), onLine: (_s, line) => void lines.push(line) });
  expect(again).toMatchObject({ cache: "new", commitSha: sha, commitMessage: "v2" });
  expect(lines.join("\n")).toContain("The cached checkout could not be used");
  expect(await readFile(path.join(cacheDir, "version.txt"), "utf8")).toBe("v2\n");
  await again.cleanup();

  // A lock whose holder is gone (a killed Berth) is taken over.
  await writeFile(`${cacheDir}.lock`, "999999999.1");
  const taken = await cachedCheckout(request(cacheDir));
  expect(taken.cache).toBe("reused");
  await taken.cleanup();
});

it("a pinned commit behind the head, given abbreviated, is found through the branch and checked out", async () => {
  const cacheDir = path.join(root, "svc-b");
  const old = fixture.commit({ "version.txt": "old\n" }, "old");
  fixture.commit({ "version.txt": "new\n" }, "new");
  const head = await cachedCheckout(request(cacheDir));
  expect(await readFile(path.join(cacheDir, "version.txt"), "utf8")).toBe("new\n");
  await head.cleanup();
  const pinned = await cachedCheckout(request(cacheDir, old.slice(0, 10)));
  expect(pinned).toMatchObject({ cache: "reused", commitSha: old });
  expect(await readFile(path.join(cacheDir, "version.txt"), "utf8")).toBe("old\n");
  await pinned.cleanup();
});
