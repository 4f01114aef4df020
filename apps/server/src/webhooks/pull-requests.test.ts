import { describe, expect, it } from "vitest";
import { githubExamples, pullRequestFixture } from "../../test/webhook-fixtures.ts";
import type { Provider } from "./providers.ts";
import { isPullRequestEvent, parsePullRequest, sameCommit } from "./pull-requests.ts";

const SHA = "0123456789abcdef0123456789abcdef01234567";
const PROVIDERS: Provider[] = ["github", "gitlab", "gitea", "forgejo", "bitbucket"];

describe("pull/merge request payloads of every provider (documented examples)", () => {
  for (const provider of PROVIDERS) {
    it(`${provider}: opened, new commits and closed become open, update and close of the PR's head`, () => {
      for (const [step, action] of [
        ["opened", "open"],
        ["synchronize", "update"],
        ["closed", "close"],
      ] as const) {
        const { event, body } = pullRequestFixture(provider, step, { number: 7, sha: SHA, branch: "feature/x" });
        expect(isPullRequestEvent(provider, event)).toBe(true);
        const parsed = parsePullRequest(provider, event, JSON.parse(JSON.stringify(body)));
        const headSha = provider === "bitbucket" ? SHA.slice(0, 12) : SHA;
        expect(parsed).toMatchObject({
          kind: "pull_request",
          pr: { action, number: 7, headSha, headBranch: "feature/x", fromFork: false },
        });
      }
    });

    it(`${provider}: a head in another repository is a fork`, () => {
      const { event, body } = pullRequestFixture(provider, "opened", { number: 8, sha: SHA, branch: "evil", fork: true });
      expect(parsePullRequest(provider, event, body)).toMatchObject({ kind: "pull_request", pr: { fromFork: true } });
    });
  }

  it("merged counts as closed (GitLab merge, Bitbucket fulfilled)", () => {
    for (const provider of ["gitlab", "bitbucket", "github"] as const) {
      const { event, body } = pullRequestFixture(provider, "closed", { number: 3, sha: SHA, branch: "b", merged: true });
      expect(parsePullRequest(provider, event, body)).toMatchObject({ kind: "pull_request", pr: { action: "close", number: 3 } });
    }
  });

  it("other actions, title edits and broken payloads are ignored with a reason, never thrown", () => {
    const labeled = githubExamples("pull_request").find((e) => e.action === "labeled");
    expect(parsePullRequest("github", "pull_request", labeled)).toEqual({
      kind: "pull_request_ignored",
      reason: expect.stringContaining('"labeled"'),
    });
    const edit = pullRequestFixture("gitlab", "opened", { number: 1, sha: SHA, branch: "b" });
    (edit.body.object_attributes as Record<string, unknown>).action = "update"; // no oldrev: a title or label edit
    expect(parsePullRequest("gitlab", edit.event, edit.body)).toMatchObject({
      kind: "pull_request_ignored",
      reason: expect.stringContaining("no new commits"),
    });
    expect(parsePullRequest("bitbucket", "pullrequest:comment_created", {})).toMatchObject({ kind: "pull_request_ignored" });
    for (const provider of PROVIDERS) {
      for (const body of [null, [], "text", { action: "opened" }, { action: "opened", pull_request: { head: { sha: 42 } } }]) {
        expect(
          parsePullRequest(
            provider,
            provider === "bitbucket" ? "pullrequest:created" : provider === "gitlab" ? "Merge Request Hook" : "pull_request",
            body,
          ).kind,
        ).toBe("pull_request_ignored");
      }
    }
    expect(isPullRequestEvent("github", "push")).toBe(false);
    expect(isPullRequestEvent("gitlab", "Push Hook")).toBe(false);
  });

  it("a Bitbucket short hash names the same commit as the full one", () => {
    expect(sameCommit(SHA.slice(0, 12), SHA)).toBe(true);
    expect(sameCommit(SHA, SHA.slice(0, 12))).toBe(true);
    expect(sameCommit("abcdef012345", SHA)).toBe(false);
    expect(sameCommit(SHA, null)).toBe(false);
  });

  it("a Bitbucket Data Center pull request from a fork names the fork's http clone URL", () => {
    const repo = (id: number, slug: string) => ({
      id,
      links: {
        clone: [
          { name: "ssh", href: `ssh://git@bb.example.com:7999/${slug}.git` },
          { name: "http", href: `https://bb.example.com/scm/${slug}.git` },
        ],
      },
    });
    const event = parsePullRequest("bitbucket", "pr:opened", {
      pullRequest: {
        id: 1,
        title: "t",
        fromRef: { displayId: "a-branch", latestCommit: "e".repeat(40), repository: repo(99, "~me/app") },
        toRef: { displayId: "main", repository: repo(84, "team/app") },
      },
    });
    expect(event).toMatchObject({ kind: "pull_request", pr: { fromFork: true, headRepoUrl: "https://bb.example.com/scm/~me/app.git" } });
  });
});
