/**
 * Repository URL rules. PURE. Allowed: https://, ssh://, git:// and scp-like
 * `user@host:path`. file:// and URLs aimed at this machine (loopback, the control plane's
 * own host) only when an instance admin enabled local sources; plain http:// likewise.
 * Names are resolved and checked again before each clone (`checkGitHost`), and https clones
 * connect to the address that was checked.
 */
import { looksLikeAddress, parseAddress } from "../net/ip.ts";
import { addressProblem, resolveOutbound, type Resolver } from "../net/outbound.ts";

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

/** This machine, or a literal address that is not public (ipaddr.js: private, link-local, ::ffff:127.0.0.1 ...). */
function isLocalHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  // Only canonical public addresses pass: `0x7f.1` or `127.1` would reach loopback through inet_aton.
  if (looksLikeAddress(h)) return parseAddress(h) === null || addressProblem(h) !== null;
  return false;
}

/** Whether git would reach this URL over ssh (ssh://... or git@host:path). PURE; policy is checkGitUrl's. */
export function isSshGitUrl(raw: string): boolean {
  const value = raw.trim();
  return SCP_LIKE.test(value) || /^ssh:\/\//i.test(value);
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
  const local =
    parsed.transport === "file" ||
    parsed.transport === "http" ||
    isLocalHost(parsed.host) ||
    (policy.controlPlaneHosts ?? []).some((h) => h.toLowerCase() === parsed.host.toLowerCase());
  if (local && !policy.allowLocalSources) {
    if (parsed.transport === "file") return { error: "file:// repositories are refused unless an instance admin enables local sources" };
    if (parsed.transport === "http")
      return { error: "Plain http:// is refused (use https) unless an instance admin enables local sources" };
    return { error: "URLs aimed at this machine are refused unless an instance admin enables local sources" };
  }
  return parsed;
}

/**
 * Resolve the repository host and refuse non-public addresses unless local sources are
 * allowed; returns the address to pin the connection to (null for file://). Throws
 * OutboundRefusedError.
 */
export async function checkGitHost(
  parsed: ParsedGitUrl,
  policy: GitUrlPolicy & { resolver?: Resolver },
): Promise<{ host: string; port: number; address: string } | null> {
  if (parsed.transport === "file") return null;
  const { address } = await resolveOutbound(parsed.host.replace(/^\[|\]$/g, ""), {
    allowLocal: policy.allowLocalSources,
    ...(policy.resolver ? { resolver: policy.resolver } : {}),
  });
  const defaults = { https: 443, http: 80, ssh: 22, git: 9418 } as const;
  let port: number = defaults[parsed.transport];
  if (!SCP_LIKE.test(parsed.url)) {
    const explicit = new URL(parsed.url).port;
    if (explicit) port = Number(explicit);
  }
  return { host: parsed.host, port, address };
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
