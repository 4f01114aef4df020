/**
 * Where each git service's cached checkout lives, who may use it, and its removal. The cache is
 * `<BERTH_GIT_CACHE_DIR>/<serviceId>/` (directories 0700): a shallow repository with its
 * working tree, reused by the service's next deployment (see cached-checkout.ts). One
 * deployment at a time holds it through `<serviceId>.lock` beside it (the holder's pid and start
 * time, so the lock of a killed process is taken over); a second one finds it held and clones
 * afresh instead of waiting.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Env } from "../config/env.ts";
import type { Deps } from "../deps.ts";
import { startTimeOf } from "./git-homes.ts";

export const DEFAULT_GIT_CACHE_DIR = "/var/lib/berth/git-cache";

/** Service ids are generated (uuid/cuid); anything else never names a directory. PURE. */
export function isCacheName(serviceId: string): boolean {
  return /^[A-Za-z0-9_-]{1,100}$/.test(serviceId);
}

/** The cached checkout of a service. PURE. */
export function gitCacheDir(env: Pick<Env, "BERTH_GIT_CACHE_DIR">, serviceId: string): string {
  if (!isCacheName(serviceId)) throw new Error(`Not a service id: ${JSON.stringify(serviceId)}`);
  return path.join(path.resolve(env.BERTH_GIT_CACHE_DIR ?? DEFAULT_GIT_CACHE_DIR), serviceId);
}

const lockFile = (cacheDir: string) => `${cacheDir}.lock`;

/** Held locks of this process (the lock file alone cannot tell two deployments of one process apart). */
const heldHere = new Set<string>();

/**
 * Take the cache's lock; null when another live deployment holds it. Returns the release.
 * Creates the cache root (0700) if needed.
 */
export async function lockGitCache(cacheDir: string): Promise<(() => Promise<void>) | null> {
  if (heldHere.has(cacheDir)) return null;
  heldHere.add(cacheDir);
  const release = async () => {
    await rm(lockFile(cacheDir), { force: true });
    heldHere.delete(cacheDir);
  };
  try {
    await mkdir(path.dirname(cacheDir), { recursive: true, mode: 0o700 });
    const me = `${process.pid}.${(await startTimeOf(process.pid)) ?? 0}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await writeFile(lockFile(cacheDir), me, { flag: "wx", mode: 0o600 });
        return release;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        const owner = /^(\d+)\.(\d+)$/.exec(await readFile(lockFile(cacheDir), "utf8").catch(() => ""));
        // A live holder (another Berth process) keeps it; a dead one's lock is taken over.
        if (owner && (await startTimeOf(Number(owner[1]))) === Number(owner[2])) break;
        await rm(lockFile(cacheDir), { force: true });
      }
    }
  } catch (err) {
    heldHere.delete(cacheDir);
    throw err;
  }
  heldHere.delete(cacheDir);
  return null;
}

/** Remove a service's cached checkout (service, project or preview deleted). Never throws. */
export async function removeGitCache(
  deps: { env: Pick<Env, "BERTH_GIT_CACHE_DIR">; log: { warn(o: object, m: string): void } },
  serviceId: string,
): Promise<void> {
  const dir = gitCacheDir(deps.env, serviceId);
  await rm(dir, { recursive: true, force: true })
    .then(() => rm(lockFile(dir), { force: true }))
    .catch((err: unknown) => deps.log.warn({ serviceId, err: String(err) }, "could not remove the service's cached checkout"));
}

/**
 * At boot: remove the caches of services that no longer exist (a crash between a service's
 * deletion and its cache's, or rows gone by cascade). Returns how many went.
 */
export async function sweepGitCaches(deps: Pick<Deps, "db" | "env" | "log">): Promise<number> {
  const root = path.resolve(deps.env.BERTH_GIT_CACHE_DIR ?? DEFAULT_GIT_CACHE_DIR);
  const names = (await readdir(root).catch(() => [] as string[])).filter(isCacheName);
  if (names.length === 0) return 0;
  const live = new Set((await deps.db.service.findMany({ where: { id: { in: names } }, select: { id: true } })).map((s) => s.id));
  const gone = names.filter((name) => !live.has(name));
  for (const serviceId of gone) await removeGitCache(deps, serviceId);
  return gone.length;
}
