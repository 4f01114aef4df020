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

/** Gitea and Forgejo also send GitHub's headers: their own are checked first. Gogs (Gitea's origin) is read as Gitea. */
export function detectProvider(headers: Headers): Provider | null {
  if (header(headers, "x-forgejo-event")) return "forgejo";
  if (header(headers, "x-gitea-event") || header(headers, "x-gogs-event")) return "gitea";
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
      return safeEqual(header(headers, "x-gitea-signature") ?? header(headers, "x-gogs-signature") ?? "", hmacHex(secret, rawBody));
    case "forgejo":
      return safeEqual(header(headers, "x-forgejo-signature") ?? "", hmacHex(secret, rawBody));
    case "gitlab":
      return safeEqual(header(headers, "x-gitlab-token") ?? "", secret);
  }
}

const DELIVERY_HEADERS: Record<Provider, string[]> = {
  github: ["x-github-delivery"],
  gitea: ["x-gitea-delivery", "x-gogs-delivery"],
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
  const names = {
    github: ["x-github-event"],
    gitea: ["x-gitea-event", "x-gogs-event"],
    forgejo: ["x-forgejo-event"],
    gitlab: ["x-gitlab-event"],
    bitbucket: ["x-event-key"],
  }[provider];
  return (names.map((name) => header(headers, name)).find((v) => v !== undefined) ?? "").slice(0, 100);
}

/**
 * The provider a service or stack recorded accepts this delivery's: the same, or Gitea and
 * Forgejo for each other (Forgejo is Gitea's fork, signs the same way, and older Forgejo sent
 * Gitea's headers only: a host upgraded or migrated keeps its hooks).
 */
export function sameProvider(recorded: string, provider: Provider): boolean {
  const family = (p: string) => (p === "forgejo" ? "gitea" : p);
  return family(recorded) === family(provider);
}

export const NOT_UNDERSTOOD = "Not a webhook Berth understands (no GitHub, GitLab, Gitea, Forgejo, Gogs or Bitbucket event header)";
export const NOT_JSON = "The body is not valid JSON (set the webhook's content type to application/json)";

/**
 * The delivery's JSON text and the bytes its signature covers. A hook set to form encoding
 * (`application/x-www-form-urlencoded`, the default of GitHub's API) sends `payload=<JSON>`:
 * GitHub and Bitbucket sign the body as sent, Gitea and Forgejo the JSON inside it.
 */
export function deliveryBody(provider: Provider, headers: Headers, rawBody: Buffer): { signed: Buffer; json: string } {
  const type = (header(headers, "content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return { signed: rawBody, json: rawBody.toString("utf8") };
  const json = new URLSearchParams(rawBody.toString("utf8")).get("payload") ?? "";
  return { signed: provider === "gitea" || provider === "forgejo" ? Buffer.from(json, "utf8") : rawBody, json };
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

/** Every change of a Bitbucket push is a tag's (Cloud: `new`/`old.type`; Data Center: `ref.type`). */
function bitbucketTagsOnly(body: Json): boolean {
  const cloud = arr(obj(body.push).changes).map((c) => obj(obj(c).new).type ?? obj(obj(c).old).type);
  const server = arr(body.changes).map((c) => obj(obj(c).ref).type);
  const types = [...cloud, ...server];
  return types.length > 0 && types.every((t) => t === "tag" || t === "TAG");
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
  return {
    kind: "push",
    branches,
    tagsOnly: provider === "bitbucket" ? bitbucketTagsOnly(json) : String(json.ref).startsWith("refs/tags/"),
  };
}

/** The push to `branch` a delivery carries, or why it carries none (a ping, another event, a tag, another branch). PURE. */
export function pushTo(parsed: WebhookEvent, branch: string): { push: PushedBranch } | { skip: string } {
  if (parsed.kind === "ping") return { skip: "Ping received; webhook is set up" };
  if (parsed.kind === "other") return { skip: `The ${parsed.event || "unnamed"} event does not deploy` };
  const push = parsed.branches.find((b) => b.branch === branch);
  if (push) return { push };
  return { skip: parsed.tagsOnly ? "Tag pushes do not deploy" : `No new commit on ${branch} in this push` };
}
