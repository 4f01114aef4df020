/**
 * Pull/merge request webhooks of the git hosts Berth understands (preview deployments): what a
 * verified delivery says about one pull request. PURE. Payloads are read defensively: a field
 * missing or of another type makes the event `ignore` with a reason, never an exception.
 */
/** A provider name of providers.ts (a plain string here: that module is not imported, so no circle). */
type Provider = string;

/** What the preview of the pull request should do. */
export type PullRequestAction = "open" | "update" | "close";

export interface PullRequest {
  action: PullRequestAction;
  number: number;
  title: string;
  /** The head commit: 40 hex digits, or (Bitbucket Cloud) a shorter prefix -- then the branch head is built. */
  headSha: string;
  headBranch: string;
  /** The head repository's clone URL (null: the payload names none). */
  headRepoUrl: string | null;
  /** The head lives in another repository than the base (a fork): untrusted code. */
  fromFork: boolean;
}

export type PullRequestEvent = { kind: "pull_request"; pr: PullRequest } | { kind: "pull_request_ignored"; reason: string };

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const num = (value: unknown): number | null => (typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null);
const HEX = /^[0-9a-f]{7,40}$/;

/** Whether this event names a pull/merge request event of the provider. */
export function isPullRequestEvent(provider: Provider, event: string): boolean {
  if (provider === "gitlab") return event === "Merge Request Hook";
  if (provider === "bitbucket") return event.startsWith("pullrequest:") || event.startsWith("pr:");
  return event === "pull_request";
}

interface Parts {
  action: PullRequestAction | string;
  number: unknown;
  title: unknown;
  sha: unknown;
  branch: unknown;
  repoUrl: unknown;
  fromFork: boolean;
}

function build(label: string, p: Parts): PullRequestEvent {
  if (p.action !== "open" && p.action !== "update" && p.action !== "close") {
    return { kind: "pull_request_ignored", reason: `The ${label} "${p.action || "unnamed"}" action does not change a preview` };
  }
  const number = num(p.number);
  const headSha = str(p.sha)?.toLowerCase() ?? "";
  const headBranch = str(p.branch);
  if (number === null) return { kind: "pull_request_ignored", reason: `The ${label} payload has no pull request number` };
  if (p.action !== "close" && (!HEX.test(headSha) || headBranch === null)) {
    return { kind: "pull_request_ignored", reason: `The ${label} payload names no head commit and branch` };
  }
  return {
    kind: "pull_request",
    pr: {
      action: p.action,
      number,
      title: (str(p.title) ?? "").slice(0, 300),
      headSha,
      headBranch: headBranch ?? "",
      headRepoUrl: str(p.repoUrl),
      fromFork: p.fromFork,
    },
  };
}

/** GitHub, Gitea and Forgejo: `action` + `pull_request.head/base` (Gitea's sync is "synchronized"). */
function githubLike(provider: Provider, body: Json): PullRequestEvent {
  const pr = obj(body.pull_request);
  const head = obj(pr.head);
  const base = obj(pr.base);
  const headRepo = obj(head.repo);
  const baseRepo = obj(base.repo);
  const action = str(body.action) ?? "";
  const mapped = ["opened", "reopened"].includes(action)
    ? "open"
    : ["synchronize", "synchronized"].includes(action)
      ? "update"
      : action === "closed"
        ? "close"
        : action;
  // A deleted fork leaves head.repo null: treat it as a fork (nothing proves it is the base).
  const sameRepo = headRepo.id !== undefined && headRepo.id === baseRepo.id;
  return build(provider === "github" ? "pull_request" : `${provider} pull_request`, {
    action: mapped,
    number: body.number ?? pr.number,
    title: pr.title,
    sha: head.sha,
    branch: head.ref,
    repoUrl: headRepo.clone_url,
    fromFork: !sameRepo,
  });
}

/** GitLab "Merge Request Hook": `object_attributes.action`; an update counts only when it pushed commits (`oldrev`). */
function gitlab(body: Json): PullRequestEvent {
  const mr = obj(body.object_attributes);
  const action = str(mr.action) ?? "";
  const mapped = ["open", "reopen"].includes(action)
    ? "open"
    : action === "update"
      ? str(mr.oldrev)
        ? "update"
        : "edited"
      : ["close", "merge"].includes(action)
        ? "close"
        : action;
  const source = obj(mr.source);
  const sourceId = mr.source_project_id;
  return build("merge request", {
    action: mapped === "edited" ? "update (no new commits)" : mapped,
    number: mr.iid,
    title: mr.title,
    sha: obj(mr.last_commit).id,
    branch: mr.source_branch,
    repoUrl: source.git_http_url,
    fromFork: sourceId === undefined || sourceId !== mr.target_project_id,
  });
}

/** Bitbucket Cloud `pullrequest:*` (short commit hashes) and Data Center `pr:*`. */
function bitbucket(event: string, body: Json): PullRequestEvent {
  if (event.startsWith("pr:")) {
    const pr = obj(body.pullRequest);
    const from = obj(pr.fromRef);
    const to = obj(pr.toRef);
    const mapped =
      { "pr:opened": "open", "pr:from_ref_updated": "update", "pr:merged": "close", "pr:declined": "close", "pr:deleted": "close" }[
        event
      ] ?? event;
    const fromRepo = obj(from.repository);
    return build("Bitbucket", {
      action: mapped,
      number: pr.id,
      title: pr.title,
      sha: from.latestCommit,
      branch: from.displayId,
      // Data Center names the fork's clone URLs (http and ssh): previews clone over http.
      repoUrl: arr(obj(fromRepo.links).clone)
        .map(obj)
        .find((l) => l.name === "http")?.href,
      fromFork: fromRepo.id === undefined || fromRepo.id !== obj(to.repository).id,
    });
  }
  const pr = obj(body.pullrequest);
  const source = obj(pr.source);
  const sourceRepo = obj(source.repository);
  const destRepo = obj(obj(pr.destination).repository);
  const mapped =
    { "pullrequest:created": "open", "pullrequest:updated": "update", "pullrequest:fulfilled": "close", "pullrequest:rejected": "close" }[
      event
    ] ?? event.replace(/^pullrequest:/, "");
  const html = str(obj(obj(sourceRepo.links).html).href);
  return build("Bitbucket", {
    action: mapped,
    number: pr.id,
    title: pr.title,
    sha: obj(source.commit).hash,
    branch: obj(source.branch).name,
    repoUrl: html ? `${html}.git` : null,
    fromFork: str(sourceRepo.full_name) === null || sourceRepo.full_name !== destRepo.full_name,
  });
}

/** What a verified pull/merge request delivery says (call only when isPullRequestEvent). */
export function parsePullRequest(provider: Provider, event: string, body: unknown): PullRequestEvent {
  const json = obj(body);
  if (provider === "gitlab") return gitlab(json);
  if (provider === "bitbucket") return bitbucket(event, json);
  return githubLike(provider, json);
}

/** Whether `sha` (full, or a Bitbucket prefix) names the same commit as `other`. */
export function sameCommit(sha: string, other: string | null): boolean {
  if (!other || sha.length < 7 || other.length < 7) return false;
  return sha.length <= other.length ? other.startsWith(sha) : sha.startsWith(other);
}
