import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/**
 * Push webhooks of the git hosts Berth understands: which host sent a request, whether it is
 * authentic (over the RAW body, in constant time), and what it says. PURE.
 */
export type Provider = "github" | "gitea" | "forgejo" | "gitlab" | "bitbucket";

export const PROVIDERS: readonly Provider[] = ["github", "gitlab", "gitea", "forgejo", "bitbucket"];

const KNOWN_HOSTS: Record<string, Provider> = {
  "github.com": "github",
  "gitlab.com": "gitlab",
  "bitbucket.org": "bitbucket",
  "codeberg.org": "forgejo",
  "gitea.com": "gitea",
};

/** The provider a repository host implies (null: a self-hosted or unknown host). PURE. */
export function providerForHost(host: string): Provider | null {
  return KNOWN_HOSTS[host.toLowerCase().replace(/^www\./, "")] ?? null;
}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Gitea and Forgejo also send GitHub's headers: their own are checked first. */
export function detectProvider(headers: Headers): Provider | null {
  if (header(headers, "x-forgejo-event")) return "forgejo";
  if (header(headers, "x-gitea-event")) return "gitea";
  if (header(headers, "x-gitlab-event")) return "gitlab";
  if (header(headers, "x-event-key")) return "bitbucket";
  if (header(headers, "x-github-event")) return "github";
  return null;
}

function hmacHex(secret: string, body: Buffer): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Constant-time equality of two strings of any length (compares their SHA-256 digests). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash("sha256").update(a, "utf8").digest();
  const db = createHash("sha256").update(b, "utf8").digest();
  return timingSafeEqual(da, db) && a.length === b.length;
}

/** True only when the request carries a valid signature (or token) for `secret`. */
export function verifySignature(provider: Provider, headers: Headers, rawBody: Buffer, secret: string): boolean {
  if (secret === "") return false;
  switch (provider) {
    case "github":
      return safeEqual(header(headers, "x-hub-signature-256") ?? "", `sha256=${hmacHex(secret, rawBody)}`);
    case "bitbucket":
      return safeEqual(header(headers, "x-hub-signature") ?? "", `sha256=${hmacHex(secret, rawBody)}`);
    case "gitea":
      return safeEqual(header(headers, "x-gitea-signature") ?? "", hmacHex(secret, rawBody));
    case "forgejo":
      return safeEqual(header(headers, "x-forgejo-signature") ?? "", hmacHex(secret, rawBody));
    case "gitlab":
      return safeEqual(header(headers, "x-gitlab-token") ?? "", secret);
  }
}

const DELIVERY_HEADERS: Record<Provider, string[]> = {
  github: ["x-github-delivery"],
  gitea: ["x-gitea-delivery"],
  forgejo: ["x-forgejo-delivery"],
  gitlab: ["idempotency-key", "x-gitlab-event-uuid"],
  bitbucket: ["x-request-uuid", "x-request-id"],
};

/** The provider's delivery id (a redelivery repeats it); without one, the body's hash stands in. */
export function deliveryIdOf(provider: Provider, headers: Headers, rawBody: Buffer): string {
  for (const name of DELIVERY_HEADERS[provider]) {
    const value = header(headers, name)?.trim();
    if (value) return `${provider}:${value.slice(0, 200)}`;
  }
  return `${provider}:body-sha256:${createHash("sha256").update(rawBody).digest("hex")}`;
}

export function eventOf(provider: Provider, headers: Headers): string {
  const name = {
    github: "x-github-event",
    gitea: "x-gitea-event",
    forgejo: "x-forgejo-event",
    gitlab: "x-gitlab-event",
    bitbucket: "x-event-key",
  }[provider];
  return (header(headers, name) ?? "").slice(0, 100);
}

export interface PushedBranch {
  branch: string;
  commitSha: string;
  message: string | null;
}

export type WebhookEvent =
  { kind: "push"; branches: PushedBranch[]; tagsOnly: boolean } | { kind: "ping" } | { kind: "other"; event: string };

const SHA = /^[0-9a-f]{40}$/;
const ZERO = /^0{40}$/;

function branchOf(ref: unknown): string | null {
  return typeof ref === "string" && ref.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : null;
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

type Json = Record<string, unknown>;
const obj = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** One ref update: a branch moved to `sha` (deletions and tags give null). */
function update(ref: unknown, sha: unknown, message: string | null): PushedBranch | null {
  const branch = branchOf(ref);
  const commitSha = str(sha)?.toLowerCase() ?? "";
  if (!branch || !SHA.test(commitSha) || ZERO.test(commitSha)) return null;
  return { branch, commitSha, message };
}

function githubLike(body: Json): PushedBranch[] {
  if (body.deleted === true) return [];
  const headCommit = obj(body.head_commit);
  return [update(body.ref, body.after, str(headCommit.message))].filter((b): b is PushedBranch => b !== null);
}

function gitlab(body: Json): PushedBranch[] {
  const sha = body.checkout_sha ?? body.after;
  const commit = arr(body.commits)
    .map(obj)
    .find((c) => c.id === sha);
  return [update(body.ref, sha, str(commit?.message))].filter((b): b is PushedBranch => b !== null);
}

function bitbucket(body: Json): PushedBranch[] {
  // Bitbucket Cloud: push.changes[].new; Bitbucket Data Center: changes[].ref + toHash.
  const cloud = arr(obj(body.push).changes).map((c) => {
    const next = obj(obj(c).new);
    if (next.type !== "branch") return null;
    const target = obj(next.target);
    return update(`refs/heads/${str(next.name) ?? ""}`, target.hash, str(target.message));
  });
  const server = arr(body.changes).map((c) => {
    const change = obj(c);
    return change.type === "DELETE" ? null : update(obj(change.ref).id, change.toHash, null);
  });
  return [...cloud, ...server].filter((b): b is PushedBranch => b !== null);
}

function isPush(provider: Provider, event: string): boolean {
  if (provider === "gitlab") return event === "Push Hook" || event === "Tag Push Hook";
  if (provider === "bitbucket") return event === "repo:push" || event === "repo:refs_changed";
  return event === "push";
}

function isPing(provider: Provider, event: string): boolean {
  return event === "ping" || (provider === "bitbucket" && event === "diagnostics:ping");
}

/** What a verified delivery says. The body is already parsed JSON. */
export function parseEvent(provider: Provider, event: string, body: unknown): WebhookEvent {
  if (isPing(provider, event)) return { kind: "ping" };
  if (!isPush(provider, event)) return { kind: "other", event };
  const json = obj(body);
  const branches = provider === "gitlab" ? gitlab(json) : provider === "bitbucket" ? bitbucket(json) : githubLike(json);
  const refs = provider === "bitbucket" ? [] : [json.ref];
  return { kind: "push", branches, tagsOnly: refs.some((r) => typeof r === "string" && r.startsWith("refs/tags/")) };
}
