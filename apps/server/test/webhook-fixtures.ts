/**
 * Real provider push payloads (GitHub: @octokit/webhooks-examples; GitLab, Gitea/Forgejo,
 * Bitbucket: their documented examples under fixtures/webhooks) and headers signed the way
 * each provider signs them. Tests only.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Provider } from "../src/webhooks/providers.ts";

const require = createRequire(import.meta.url);
const FIXTURES = path.join(import.meta.dirname, "fixtures", "webhooks");

interface OctokitExample {
  name: string;
  examples: Record<string, unknown>[];
}

export function githubExamples(event: string): Record<string, unknown>[] {
  const all = require("@octokit/webhooks-examples/api.github.com/index.json") as OctokitExample[];
  const found = all.find((e) => e.name === event);
  if (!found) throw new Error(`no @octokit/webhooks-examples for ${event}`);
  return found.examples;
}

/** A documented push payload of each provider with the branch and commit it pushes. */
export interface PushFixture {
  provider: Provider;
  body: Record<string, unknown>;
  branch: string;
  commitSha: string;
}

function readJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8")) as Record<string, unknown>;
}

export function pushFixtures(): PushFixture[] {
  const github = githubExamples("push").find((e) => e.ref === "refs/heads/master" && e.deleted === false);
  if (!github) throw new Error("no branch push among the GitHub examples");
  return [
    { provider: "github", body: github, branch: "master", commitSha: String(github.after) },
    { provider: "gitlab", body: readJson("gitlab-push.json"), branch: "master", commitSha: "da1560886d4f094c3e6c9ef40349f7d38b5d27d7" },
    { provider: "gitea", body: readJson("gitea-push.json"), branch: "develop", commitSha: "bffeb74224043ba2feb48d137756c8a9331c449a" },
    { provider: "forgejo", body: readJson("gitea-push.json"), branch: "develop", commitSha: "bffeb74224043ba2feb48d137756c8a9331c449a" },
    {
      provider: "bitbucket",
      body: readJson("bitbucket-push.json"),
      branch: "name-of-branch",
      commitSha: "709d658dc5b6d6afcd46049c2f332ee3f515a67d",
    },
  ];
}

/** A copy of a fixture pushing `commitSha` to `branch` (same shape, other values). */
export function retarget(fixture: PushFixture, branch: string, commitSha: string): PushFixture {
  const body = structuredClone(fixture.body) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (fixture.provider === "bitbucket") {
    body.push.changes[0].new.name = branch;
    body.push.changes[0].new.target.hash = commitSha;
  } else {
    body.ref = `refs/heads/${branch}`;
    body.after = commitSha;
    if (fixture.provider === "gitlab") body.checkout_sha = commitSha;
    if (body.head_commit) body.head_commit.id = commitSha;
  }
  return { ...fixture, body, branch, commitSha };
}

const hmac = (secret: string, body: Buffer) => createHmac("sha256", secret).update(body).digest("hex");

export const EVENT_HEADER: Record<Provider, [string, string, string]> = {
  github: ["x-github-event", "push", "ping"],
  gitea: ["x-gitea-event", "push", "ping"],
  forgejo: ["x-forgejo-event", "push", "ping"],
  gitlab: ["x-gitlab-event", "Push Hook", "System Hook"],
  bitbucket: ["x-event-key", "repo:push", "diagnostics:ping"],
};

/** The headers the provider sends for `body`, signed with `secret` (or unsigned when null). */
export function providerHeaders(
  provider: Provider,
  body: Buffer,
  secret: string | null,
  opts: { deliveryId: string; event?: string },
): Record<string, string> {
  const [eventHeader, pushEvent] = EVENT_HEADER[provider];
  const headers: Record<string, string> = { "content-type": "application/json", [eventHeader]: opts.event ?? pushEvent };
  const sig = secret === null ? null : hmac(secret, body);
  if (provider === "github") {
    headers["x-github-delivery"] = opts.deliveryId;
    if (sig) headers["x-hub-signature-256"] = `sha256=${sig}`;
  } else if (provider === "gitea" || provider === "forgejo") {
    headers[`x-${provider}-delivery`] = opts.deliveryId;
    if (sig) headers[`x-${provider}-signature`] = sig;
  } else if (provider === "gitlab") {
    headers["x-gitlab-event-uuid"] = opts.deliveryId;
    if (secret !== null) headers["x-gitlab-token"] = secret;
  } else {
    headers["x-request-uuid"] = opts.deliveryId;
    if (sig) headers["x-hub-signature"] = `sha256=${sig}`;
  }
  return headers;
}

/** What a pull request does in a fixture: opened, new commits, closed (merged or not). */
export type PullRequestStep = "opened" | "synchronize" | "closed";

export const PR_EVENT: Record<Provider, string> = {
  github: "pull_request",
  gitea: "pull_request",
  forgejo: "pull_request",
  gitlab: "Merge Request Hook",
  bitbucket: "pullrequest:created",
};

/**
 * A documented pull/merge request payload of the provider (GitHub: @octokit/webhooks-examples;
 * the others: fixtures/webhooks), retargeted to PR `number` with head `branch` at `sha`, and
 * the event header value it comes with. `fork`: the head lives in another repository.
 */
export function pullRequestFixture(
  provider: Provider,
  step: PullRequestStep,
  pr: { number: number; sha: string; branch: string; fork?: boolean; merged?: boolean },
): { event: string; body: Record<string, unknown> } {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  if (provider === "github") {
    const example = githubExamples("pull_request").find(
      (e) => e.action === (step === "closed" ? "closed" : step === "synchronize" ? "synchronize" : "opened"),
    );
    const body = structuredClone(example) as Record<string, any>;
    body.number = pr.number;
    body.pull_request.number = pr.number;
    body.pull_request.head.sha = pr.sha;
    body.pull_request.head.ref = pr.branch;
    body.pull_request.merged = pr.merged === true;
    if (pr.fork) {
      body.pull_request.head.repo = {
        ...body.pull_request.head.repo,
        id: 4242,
        full_name: "mallory/Hello-World",
        clone_url: "https://github.com/mallory/Hello-World.git",
      };
    }
    return { event: "pull_request", body };
  }
  if (provider === "gitlab") {
    const body = readJson("gitlab-merge-request.json") as Record<string, any>;
    const mr = body.object_attributes;
    mr.iid = pr.number;
    mr.last_commit.id = pr.sha;
    mr.source_branch = pr.branch;
    mr.action = step === "opened" ? "open" : step === "synchronize" ? "update" : pr.merged ? "merge" : "close";
    mr.state = step === "closed" ? (pr.merged ? "merged" : "closed") : "opened";
    if (step === "synchronize") mr.oldrev = "0".repeat(39) + "1";
    if (pr.fork) mr.source_project_id = 99;
    return { event: "Merge Request Hook", body };
  }
  if (provider === "bitbucket") {
    const body = readJson("bitbucket-pullrequest.json") as Record<string, any>;
    body.pullrequest.id = pr.number;
    // Bitbucket Cloud sends 12-character hashes.
    body.pullrequest.source.commit.hash = pr.sha.slice(0, 12);
    body.pullrequest.source.branch.name = pr.branch;
    body.pullrequest.state = step === "closed" ? (pr.merged ? "MERGED" : "DECLINED") : "OPEN";
    if (pr.fork) body.pullrequest.source.repository = { ...body.pullrequest.source.repository, full_name: "mallory/repo_name" };
    const event =
      step === "opened"
        ? "pullrequest:created"
        : step === "synchronize"
          ? "pullrequest:updated"
          : pr.merged
            ? "pullrequest:fulfilled"
            : "pullrequest:rejected";
    return { event, body };
  }
  const body = readJson("gitea-pull-request.json") as Record<string, any>;
  body.action = step === "opened" ? "opened" : step === "synchronize" ? "synchronized" : "closed";
  body.number = pr.number;
  body.pull_request.number = pr.number;
  body.pull_request.head.sha = pr.sha;
  body.pull_request.head.ref = pr.branch;
  body.pull_request.merged = pr.merged === true;
  body.pull_request.state = step === "closed" ? "closed" : "open";
  if (pr.fork) body.pull_request.head.repo = { ...body.pull_request.head.repo, id: 4242, full_name: "mallory/webhooks" };
  return { event: "pull_request", body };
  /* eslint-enable @typescript-eslint/no-explicit-any */
}
