/**
 * A git service's source through its cached checkout (git-cache.ts): a redeploy fetches only
 * the objects the cache lacks (`fetch --depth 1 <url> +<branch or sha>:refs/berth/last`; the
 * commit it already has is the negotiation's base) and checks that commit out in the kept
 * working tree, where unchanged files keep their mtimes. The protections of a fresh clone
 * stay: the caller checked the host and pins its address, credentials and the deploy key travel
 * as env-borne config and a file in a temp home removed right after the fetch; the fetch is by
 * URL, so the cache's `.git/config` holds no remote, no URL and no credential.
 *
 * A cache made for another URL, or one git fails on for a reason it does not explain (a lock
 * left by a killed run, a broken object), is discarded and made again once. Disk: one ref is
 * kept (`refs/berth/last`, no reflogs, no tags); every fetch adds one pack; past `MAX_PACKS`
 * packs `git gc --prune=now` keeps only the last commit's objects.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type ClonedSource, type CloneRequest, cloneSource, explainGitFailure } from "./clone.ts";
import { lockGitCache } from "./git-cache.ts";
import { buildGitEnv, GitError, knownHostsFile, prepareGitHome, runGit } from "./git.ts";

export const MAX_PACKS = 10;
const LAST = "refs/berth/last";

export interface CachedSource extends ClonedSource {
  /** "reused": fetched into the existing cache; "new": the cache was made; "busy": another deployment held it (fresh clone). */
  cache: "reused" | "new" | "busy";
}

/** The fetch's refspec: the pinned commit when given, else the branch head. PURE. */
export function fetchRefspec(branch: string, commit: string | null | undefined): string {
  return `+${commit ? commit : `refs/heads/${branch}`}:${LAST}`;
}

/**
 * Whether a failure in a kept cache is the cache's (discard it and fetch again) rather than the
 * repository's: a lock file left by a killed run, a broken object or index, or anything git
 * fails on that `explainGitFailure` cannot name. Checked first: a path or id in such a message
 * may hold "404" or "403". PURE.
 */
export function isCacheFault(output: string[], branch: string): boolean {
  const text = output.join("\n");
  if (
    /\.lock'?: File exists|index file|corrupt|bad object|loose object|not a git repository|missing blob|missing tree|unable to read [0-9a-f]/i.test(
      text,
    )
  )
    return true;
  return explainGitFailure(output, branch) === "git failed";
}

/** The source at the requested commit (or branch head) in the service's cache; `cleanup()` releases the cache. */
export async function cachedCheckout(req: CloneRequest & { cacheDir: string }): Promise<CachedSource> {
  const release = await lockGitCache(req.cacheDir);
  if (!release) return { ...(await cloneSource(req)), cache: "busy" };
  try {
    try {
      return { ...(await checkoutInCache(req, true)), cleanup: release };
    } catch (err) {
      if (req.signal.aborted || !(err instanceof GitError) || !isCacheFault(err.output, req.branch)) throw err;
      req.onLine("stderr", "The cached checkout could not be used: fetching into a new one");
      return { ...(await checkoutInCache(req, false)), cleanup: release };
    }
  } catch (err) {
    await release();
    if (err instanceof GitError && !req.signal.aborted) {
      throw new GitError(`${explainGitFailure(err.output, req.branch)} (${err.message})`, err.exitCode, err.output);
    }
    throw err;
  }
}

async function checkoutInCache(
  req: CloneRequest & { cacheDir: string },
  mayReuse: boolean,
): Promise<Omit<CachedSource, "cleanup"> & { cache: "reused" | "new" }> {
  const dir = req.cacheDir;
  const gitDir = path.join(dir, ".git");
  const urlFile = path.join(gitDir, "berth-source-url");
  const reuse = mayReuse && existsSync(path.join(gitDir, "HEAD")) && (await readFile(urlFile, "utf8").catch(() => null)) === req.repo.url;
  const { home, keyFile } = await prepareGitHome(req.auth);
  try {
    const baseEnv = buildGitEnv({
      home,
      protocols: req.repo.transport,
      auth: req.auth,
      keyFile,
      pin: req.pin ?? null,
      // One ref and its objects: no reflog keeps old commits, no background gc during a deploy, every fetch one pack.
      extraConfig: [
        ["core.logAllRefUpdates", "false"],
        ["gc.auto", "0"],
        ["maintenance.auto", "false"],
        ["fetch.unpackLimit", "1"],
        ["advice.detachedHead", "false"],
      ],
    });
    // Never a repository found above the cache (a deleted .git must not make git climb).
    const env = { ...baseEnv, GIT_DIR: gitDir, GIT_WORK_TREE: dir };
    const run = (args: string[], runEnv: NodeJS.ProcessEnv = env) =>
      runGit(args, { cwd: dir, env: runEnv, signal: req.signal, onLine: req.onLine });
    if (!reuse) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true, mode: 0o700 });
      await run(["init", "--quiet", dir], baseEnv);
      await writeFile(urlFile, req.repo.url, { mode: 0o600 });
    }
    await run(["fetch", "--depth", "1", "--no-tags", "--", req.repo.url, fetchRefspec(req.branch, req.commit)]).catch(
      async (err: unknown) => {
        if (!req.commit || req.signal.aborted) throw err;
        // Servers that refuse fetching by id (or an abbreviated id): fetch the branch and look for the commit in it.
        const unshallow = existsSync(path.join(gitDir, "shallow")) ? ["--unshallow"] : [];
        await run(["fetch", "--no-tags", ...unshallow, "--", req.repo.url, `+refs/heads/${req.branch}:${LAST}`]);
        await run(["update-ref", "--no-deref", LAST, `${req.commit}^{commit}`]);
      },
    );
    await run(["checkout", "--quiet", "--force", "--detach", LAST]);
    // Side by side: clean only touches the working tree, log only reads the commit.
    const [, [sha = "", ...message]] = await Promise.all([run(["clean", "-ffdxq"]), run(["log", "-1", "--format=%H%n%s", "HEAD"])]);
    const packs = (await readdir(path.join(gitDir, "objects", "pack")).catch(() => [])).filter((f) => f.endsWith(".pack"));
    if (packs.length > MAX_PACKS) await run(["gc", "--quiet", "--prune=now"]);
    const knownHosts = keyFile
      ? await readFile(knownHostsFile(home), "utf8").catch((err: NodeJS.ErrnoException) => {
          if (err.code === "ENOENT") return null;
          throw err;
        })
      : null;
    return {
      dir,
      commitSha: sha,
      commitMessage: message.join(" ").slice(0, 500),
      knownHosts,
      cache: reuse ? "reused" : "new",
    };
  } finally {
    // The deploy key and the temp home go as soon as git is done; the checkout stays for the build.
    await rm(home, { recursive: true, force: true });
  }
}
