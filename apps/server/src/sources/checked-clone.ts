/**
 * Clone a stored git source after checking its URL against the instance's policy now (names
 * may have changed since it was saved) and pinning the checked address. Used by the build
 * stage and by git-sourced stacks, which read their compose file the same way.
 */
import type { Deps } from "../deps.ts";
import { getSettings } from "../instance/settings.ts";
import { openSealed } from "../secrets/service-secrets.ts";
import { type CachedSource, cachedCheckout } from "./cached-checkout.ts";
import { type ClonedSource, cloneSource } from "./clone.ts";
import { checkGitHost, checkGitUrl, type ParsedGitUrl } from "./git-url.ts";
import { buildGitEnv, runGit } from "./git.ts";

export interface StoredGitSource {
  gitUrl: string | null;
  gitBranch: string | null;
  /** Sealed. */
  gitToken: string | null;
  /** Sealed. */
  deployKeyPrivate: string | null;
  sshKnownHosts: string | null;
}

/** The repository, checked and pinned, or an Error("Repository refused: ..."). */
export async function checkedRepository(deps: Pick<Deps, "db" | "env" | "box">, gitUrl: string | null) {
  const settings = await getSettings(deps.db);
  const repo = checkGitUrl(gitUrl ?? "", {
    allowLocalSources: settings.allowLocalSources,
    controlPlaneHosts: [new URL(deps.env.publicUrl).hostname],
  });
  if ("error" in repo) throw new Error(`Repository refused: ${repo.error}`);
  const pin = await checkGitHost(repo, { allowLocalSources: settings.allowLocalSources }).catch((err: unknown) => {
    throw new Error(`Repository refused: ${err instanceof Error ? err.message : String(err)}`);
  });
  return { repo, pin };
}

export async function cloneStoredSource(
  deps: Pick<Deps, "db" | "env" | "box">,
  source: StoredGitSource,
  opts: {
    commit: string | null;
    signal: AbortSignal;
    onLine: (stream: "stdout" | "stderr", line: string) => void;
    checked?: { repo: ParsedGitUrl; pin: Awaited<ReturnType<typeof checkGitHost>> };
    /** The service's cached checkout (git-cache.ts): fetch only what is new into it instead of a fresh clone. */
    cacheDir?: string;
  },
): Promise<ClonedSource & Partial<Pick<CachedSource, "cache">>> {
  const { repo, pin } = opts.checked ?? (await checkedRepository(deps, source.gitUrl));
  const box = deps.box;
  const request = {
    repo,
    branch: source.gitBranch ?? "main",
    commit: opts.commit,
    auth: {
      token: openSealed(box, source.gitToken),
      sshPrivateKey: openSealed(box, source.deployKeyPrivate),
      knownHosts: source.sshKnownHosts,
    },
    pin,
    signal: opts.signal,
    onLine: opts.onLine,
  };
  return opts.cacheDir ? cachedCheckout({ ...request, cacheDir: opts.cacheDir }) : cloneSource(request);
}

/** The git tree id of a directory of the checkout (null: not a directory of the commit). */
export async function treeIdOf(checkoutDir: string, repoPath: string, signal: AbortSignal): Promise<string | null> {
  // The same minimal environment as a clone (the server's own environment holds secrets); no network here.
  const env = buildGitEnv({ home: checkoutDir, protocols: "file", auth: {} });
  const spec = repoPath === "." ? "HEAD^{tree}" : `HEAD:${repoPath}`;
  return runGit(["rev-parse", "--verify", "--quiet", spec], { cwd: checkoutDir, env, signal, onLine: () => undefined })
    .then((lines) => lines[0] ?? null)
    .catch(() => null);
}
