/**
 * Where directory destinations may live: only under BERTH_BACKUP_DIR. A path is checked as
 * given (absolute, normalized, under the root) and again on its realpath, so neither `..` nor
 * a symlink inside the root leads anywhere else.
 */
import { mkdir, realpath } from "node:fs/promises";
import path from "node:path";
import type { Env } from "../config/env.ts";
import { invalidField } from "../errors.ts";

export const DEFAULT_BACKUP_DIR = "/var/lib/berth/backups";

export function backupRoot(env: Pick<Env, "BERTH_BACKUP_DIR">): string {
  return path.resolve(env.BERTH_BACKUP_DIR ?? DEFAULT_BACKUP_DIR);
}

const within = (root: string, p: string) => p === root || p.startsWith(root.endsWith("/") ? root : `${root}/`);

/** Problem with a directory as the user typed it (null: fine). PURE. */
export function directoryProblem(root: string, directory: string): string | null {
  if (!path.isAbsolute(directory)) return `Give an absolute path under ${root}`;
  if (directory.includes("\0")) return "The path contains a NUL byte";
  if (path.normalize(directory).replace(/\/+$/, "") !== directory.replace(/\/+$/, "") || directory.split("/").includes(".."))
    return "Give the path without . or .. segments";
  if (!within(root, path.resolve(directory))) return `Backups may only be written under ${root}`;
  return null;
}

/** Create the directory (and the root) if needed and check where it really is. Returns its realpath. */
export async function ensureBackupDirectory(root: string, directory: string, field = "directory"): Promise<string> {
  const problem = directoryProblem(root, directory);
  if (problem) throw invalidField(field, problem);
  await mkdir(root, { recursive: true, mode: 0o700 });
  await mkdir(directory, { recursive: true, mode: 0o700 });
  const [realRoot, real] = await Promise.all([realpath(root), realpath(directory)]);
  if (!within(realRoot, real)) throw invalidField(field, `Backups may only be written under ${root} (this path leads to ${real})`);
  return real;
}
