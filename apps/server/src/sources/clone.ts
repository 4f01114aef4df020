import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { buildGitEnv, GitError, knownHostsFile, prepareGitHome, runGit, type GitAuth, type GitPin } from "./git.ts";
import type { ParsedGitUrl } from "./git-url.ts";

export interface CloneRequest {
  repo: ParsedGitUrl;
  branch: string;
  /** Pinned commit: built instead of the branch head. */
  commit?: string | null;
  auth: GitAuth;
  /** The repository host's checked address: https clones connect to it and nowhere else. */
  pin?: GitPin | null;
  signal: AbortSignal;
  onLine: (stream: "stdout" | "stderr", line: string) => void;
}

export interface ClonedSource {
  dir: string;
  commitSha: string;
  commitMessage: string;
  /** known_hosts after an ssh clone (the host key to pin), else null. */
  knownHosts: string | null;
  /** Remove the checkout and the temporary git home. */
  cleanup(): Promise<void>;
}

/** Explain the commonest git failures in words a user can act on. PURE. */
export function explainGitFailure(output: string[], branch: string): string {
  const text = output.join("\n");
  if (/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(text)) {
    return "The repository host's SSH key is not the one pinned at the first clone (the host was replaced, or the connection is intercepted)";
  }
  if (/Remote branch .* not found|couldn't find remote ref/i.test(text)) return `The branch "${branch}" does not exist in the repository`;
  // HTTP statuses as git words them ("The requested URL returned error: 403"), not any digits:
  // a URL's port (127.0.0.1:34017) made a missing repository read as refused credentials.
  if (/Authentication failed|could not read Username|returned error: 40[13]\b|Permission denied \(publickey\)/i.test(text)) {
    return "The repository refused the credentials (check the access token or add the deploy key to the repository)";
  }
  if (/not found|does not appear to be a git repository|Repository not found|returned error: 404\b/i.test(text))
    return "The repository was not found at this URL";
  if (/Could not resolve host|Connection refused|Failed to connect|timed out|unable to access/i.test(text))
    return "The repository could not be reached";
  if (/reference is not a tree|unadvertised object|not our ref|did not match any/i.test(text))
    return "The pinned commit was not found in the repository";
  return "git failed";
}

/** Shallow clone of one branch (or one pinned commit) into a fresh temporary directory. */
export async function cloneSource(req: CloneRequest): Promise<ClonedSource> {
  const { home, keyFile } = await prepareGitHome(req.auth);
  const cleanup = () => rm(home, { recursive: true, force: true });
  const dir = path.join(home, "src");
  const env = buildGitEnv({ home, protocols: req.repo.transport, auth: req.auth, keyFile, pin: req.pin ?? null });
  const run = (args: string[], cwd = home) => runGit(args, { cwd, env, signal: req.signal, onLine: req.onLine });
  try {
    if (req.commit) {
      await mkdir(dir);
      await run(["init", "--quiet"], dir);
      await run(["remote", "add", "origin", "--", req.repo.url], dir);
      await run(["fetch", "--depth", "1", "--no-tags", "origin", req.commit], dir).catch(async (err: unknown) => {
        if (req.signal.aborted) throw err;
        // Servers that refuse fetching by id: fetch the branch and look for the commit in it.
        await run(["fetch", "--no-tags", "origin", `refs/heads/${req.branch}`], dir);
      });
      await run(["checkout", "--quiet", "--detach", req.commit], dir);
    } else {
      await run(["clone", "--depth", "1", "--single-branch", "--no-tags", "--branch", req.branch, "--", req.repo.url, dir]);
    }
    const [sha = "", ...message] = await run(["log", "-1", "--format=%H%n%s"], dir);
    const knownHosts = keyFile
      ? await readFile(knownHostsFile(home), "utf8").catch((err: NodeJS.ErrnoException) => {
          if (err.code === "ENOENT") return null;
          throw err;
        })
      : null;
    return { dir, commitSha: sha, commitMessage: message.join(" ").slice(0, 500), knownHosts, cleanup };
  } catch (err) {
    await cleanup();
    if (err instanceof GitError && !req.signal.aborted) {
      throw new GitError(`${explainGitFailure(err.output, req.branch)} (${err.message})`, err.exitCode, err.output);
    }
    throw err;
  }
}
