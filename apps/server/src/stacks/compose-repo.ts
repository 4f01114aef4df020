/**
 * The files a git-sourced stack's compose file may read from its repository: env_file, the
 * `.env` next to the compose file, and where build contexts are. Paths are relative to the
 * compose file's directory, as compose resolves them, and never leave the checkout.
 */
import { readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { isSafeRepoPath } from "../sources/git-url.ts";

/** The largest file a stack reads from its repository (an env_file is small). */
export const MAX_REPO_FILE_BYTES = 256 * 1024;

export interface ComposeRepo {
  /** The compose file's directory in the repository ("." for the root). */
  dir: string;
  /** A file by its path from the repository root (a checked repoPath), or null when it does not exist. Throws RepoFileError. */
  read(repoPath: string): string | null;
  /** What is at a path (a checked repoPath): a file, a directory, or nothing. Throws RepoFileError. */
  kind(repoPath: string): "file" | "directory" | null;
}

export class RepoFileError extends Error {}

/**
 * `relative` (as written in the compose file) from the compose file's directory -> a path from
 * the repository root, or null when it is absolute or leaves the repository. PURE.
 */
export function repoPath(dir: string, relative: string): string | null {
  if (relative.startsWith("/") || relative.includes("\\") || relative.includes("\0")) return null;
  const joined = path.posix.normalize(path.posix.join(dir, relative));
  if (joined === ".") return ".";
  const clean = joined.replace(/\/+$/, "");
  return isSafeRepoPath(clean) ? clean : null;
}

/** `inner` is `outer` or inside it (both repo paths). PURE. */
export function isWithin(outer: string, inner: string): boolean {
  return outer === "." || inner === outer || inner.startsWith(`${outer}/`);
}

/** The compose file's directory of `composePath` ("docker/compose.yml" -> "docker"). PURE. */
export function composeDirOf(composePath: string): string {
  return path.posix.dirname(composePath);
}

/** Reads files of a checkout at `root`; a symbolic link that leads outside the checkout is refused. */
export function checkoutRepo(root: string, composePath: string): ComposeRepo {
  const realRoot = realpathSync(root);
  /** The real path of `relative` inside the checkout, or null when nothing is there. */
  const resolve = (relative: string): string | null => {
    let real: string;
    try {
      real = realpathSync(path.resolve(realRoot, relative));
    } catch {
      return null;
    }
    const rel = path.relative(realRoot, real);
    if (rel.startsWith("..") || path.isAbsolute(rel))
      throw new RepoFileError(`${relative} resolves outside the repository (through a symbolic link): refused`);
    return real;
  };
  return {
    dir: composeDirOf(composePath),
    read(relative) {
      const real = resolve(relative);
      if (real === null) return null;
      const stat = statSync(real);
      if (!stat.isFile()) throw new RepoFileError(`${relative} is not a file`);
      if (stat.size > MAX_REPO_FILE_BYTES) throw new RepoFileError(`${relative} is larger than ${MAX_REPO_FILE_BYTES / 1024} KiB`);
      return readFileSync(real, "utf8");
    },
    kind(relative) {
      const real = resolve(relative);
      if (real === null) return null;
      return statSync(real).isDirectory() ? "directory" : "file";
    },
  };
}
