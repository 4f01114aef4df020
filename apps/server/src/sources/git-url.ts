/**
 * Repository URL rules. PURE. Allowed: https://, ssh://, git:// and scp-like
 * `user@host:path`. file:// and URLs aimed at this machine (loopback, the control plane's
 * own host) only when an instance admin enabled local sources; plain http:// likewise.
 */

export type GitTransport = "https" | "ssh" | "git" | "http" | "file";

export interface ParsedGitUrl {
  transport: GitTransport;
  host: string;
  /** The URL as git receives it. */
  url: string;
}

export interface GitUrlPolicy {
  allowLocalSources: boolean;
  /** Hostnames that name the control plane itself (from BERTH_PUBLIC_URL / BERTH_HOST). */
  controlPlaneHosts?: string[];
}

const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)([A-Za-z0-9._~/-]+)$/;

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h.endsWith(".localhost") || h === "::1" || h === "0.0.0.0" || /^127\./.test(h) || h === "::" || h === "0:0:0:0:0:0:0:1";
}

/** Returns the parsed URL, or a message saying why it is refused. */
export function checkGitUrl(raw: string, policy: GitUrlPolicy): ParsedGitUrl | { error: string } {
  const value = raw.trim();
  if (value === "" || value.length > 2048) return { error: "Enter a repository URL" };
  if (/[\s\0]/.test(value) || value.startsWith("-")) return { error: "The repository URL must not contain spaces or start with -" };
  const scp = SCP_LIKE.exec(value);
  let parsed: ParsedGitUrl;
  if (scp) {
    parsed = { transport: "ssh", host: scp[2]!, url: value };
  } else {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { error: "Enter a URL like https://host/owner/repo.git or git@host:owner/repo.git" };
    }
    const scheme = url.protocol.replace(/:$/, "");
    if (!["https", "ssh", "git", "http", "file"].includes(scheme)) {
      return { error: `The ${scheme}:// scheme is not allowed: use https, ssh or git` };
    }
    if (scheme !== "file" && url.hostname === "") return { error: "The repository URL has no host" };
    if (url.password !== "") return { error: "Do not put a password in the URL: use an access token instead" };
    parsed = { transport: scheme as GitTransport, host: url.hostname, url: value };
  }
  const local = parsed.transport === "file" || parsed.transport === "http" || isLoopback(parsed.host) ||
    (policy.controlPlaneHosts ?? []).some((h) => h.toLowerCase() === parsed.host.toLowerCase());
  if (local && !policy.allowLocalSources) {
    if (parsed.transport === "file") return { error: "file:// repositories are refused unless an instance admin enables local sources" };
    if (parsed.transport === "http") return { error: "Plain http:// is refused (use https) unless an instance admin enables local sources" };
    return { error: "URLs aimed at this machine are refused unless an instance admin enables local sources" };
  }
  return parsed;
}

/** Protocols git may use for this URL (GIT_ALLOW_PROTOCOL): no redirects into file:// etc. */
export function allowedProtocols(parsed: ParsedGitUrl): string {
  return parsed.transport;
}

const BRANCH = /^(?!-)(?!.*\.\.)(?!.*\/\/)(?!\/)(?!.*\/$)(?!.*\.lock$)[A-Za-z0-9._/-]{1,200}$/;

export function isValidBranch(branch: string): boolean {
  return BRANCH.test(branch) && !branch.endsWith(".");
}

export function isValidCommitSha(sha: string): boolean {
  return /^[0-9a-f]{7,40}$/.test(sha);
}

/** A relative path inside the repository: no absolute paths, no `..`, no NUL. */
export function isSafeRepoPath(p: string): boolean {
  if (p === "" || p.length > 500 || p.startsWith("/") || p.includes("\0") || p.includes("\\")) return false;
  return !p.split("/").some((part) => part === "..");
}
