import { afterAll, beforeAll, describe, expect, it } from "vitest";
import net from "node:net";
import type { DockerEngine } from "@berth/engine";
import { allowLocalSources } from "../../test/deploy-harness.ts";
import { startGitFixture, type GitFixture } from "../../test/git-fixture.ts";
import { requireTestImage, seedService, seedUser, testDeps, TEST_IMAGE } from "../../test/harness.ts";
import { checkSource, classifyPullFailure } from "./source-check.ts";

const deps = testDeps();
let repo: GitFixture;
let deadPort: number;
let deadServer: net.Server;

beforeAll(async () => {
  await requireTestImage(deps.engine as DockerEngine);
  await allowLocalSources(deps, true);
  repo = await startGitFixture({ Dockerfile: "FROM scratch\n" });
  // A port that answers nothing (every connection dropped at once): "could not be reached", never
  // a verdict on the source. Held for the whole file: a port closed again can be taken meanwhile
  // by another test file's server (it was once: an HTTP server there answered 404, "not found").
  deadServer = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => deadServer.listen(0, "127.0.0.1", resolve));
  deadPort = (deadServer.address() as net.AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => deadServer.close(() => resolve()));
  await repo?.close();
  await allowLocalSources(deps, false);
  await deps.db.$disconnect();
});

describe("services.checkSource (real engine, real git)", () => {
  it("image: present on this host -> ok; a registry that cannot be reached -> unavailable (create anyway)", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { projectId } = await seedService(deps.db, teamId);
    expect(await checkSource(deps, actor, { projectId, source: "image", image: TEST_IMAGE })).toMatchObject({ status: "ok" });
    const far = await checkSource(deps, actor, { projectId, source: "image", image: `127.0.0.1:${deadPort}/berth-test/nope:1` });
    expect(far.status).toBe("unavailable");
    expect(far.message).toMatch(
      new RegExp(`^Could not check the image: 127\\.0\\.0\\.1:${deadPort} closed the connection \\(is it a registry\\?\\)$`),
    );
  });

  it("git: the repository and branch answer -> ok; a missing branch or repository -> failed; an unreachable host -> unavailable", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { projectId } = await seedService(deps.db, teamId);
    const check = (url: string, branch: string) =>
      checkSource(deps, actor, { projectId, source: "git", git: { url, branch, auth: "none" } });
    expect(await check(repo.url, "main")).toMatchObject({ status: "ok" });
    expect(await check(repo.url, "no-such-branch")).toEqual({
      status: "failed",
      message: 'The repository answered, but the branch "no-such-branch" does not exist in it',
    });
    expect(await check(repo.url.replace("app.git", "missing.git"), "main")).toMatchObject({
      status: "failed",
      message: expect.stringMatching(/not found/),
    });
    expect(await check(`http://127.0.0.1:${deadPort}/app.git`, "main")).toMatchObject({ status: "unavailable" });
    // A deploy key does not exist before the service: the check says so instead of failing.
    expect(
      await checkSource(deps, actor, { projectId, source: "git", git: { url: "git@github.com:o/r.git", branch: "main", auth: "ssh" } }),
    ).toMatchObject({ status: "unavailable" });
  });

  it("refuses a viewer (FORBIDDEN) and another team (NOT_FOUND); a bad URL is a field error", async () => {
    const { actor, teamId } = await seedUser(deps.db);
    const { projectId } = await seedService(deps.db, teamId);
    const viewer = await seedUser(deps.db, "viewer", teamId);
    const stranger = await seedUser(deps.db);
    await expect(checkSource(deps, viewer.actor, { projectId, source: "image", image: TEST_IMAGE })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(checkSource(deps, stranger.actor, { projectId, source: "image", image: TEST_IMAGE })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      checkSource(deps, actor, { projectId, source: "git", git: { url: "ftp://x", branch: "main", auth: "none" } }),
    ).rejects.toMatchObject({ code: "INVALID" });
  });

  it("classifies registry answers: absent or refused is failed, anything else unavailable", () => {
    expect(classifyPullFailure("manifest for x:1 not found: manifest unknown")).toBe("failed");
    expect(classifyPullFailure("pull access denied for x, repository does not exist or may require 'docker login'")).toBe("failed");
    expect(classifyPullFailure('Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io: no such host')).toBe(
      "unavailable",
    );
    expect(classifyPullFailure("the pull did not finish within 20 s")).toBe("unavailable");
  });
});
