/**
 * A compose bind mount of a path beside the compose file (`./data:/app/data`). Compose mounts
 * that directory of the host; a Berth stack has none (its services may run on another server,
 * and host paths are the instance owner's to allow), so a directory the service writes to
 * becomes a named volume of the project: its data survives redeploys and can be backed up, as
 * Dokploy and Coolify keep such directories. What the stack itself would provide there -- a
 * read-only mount, a file, a directory of the repository -- cannot come from a volume and is
 * refused, saying why. PURE (the repository is asked through ComposeRepo).
 */
import path from "node:path";
import { type ComposeRepo, repoPath, RepoFileError } from "./compose-repo.ts";
import type { MountSpec } from "./compose-values.ts";
import type { ServiceFields } from "./service-fields.ts";
import type { Report } from "./stack-issues.ts";

type VolumeField = ServiceFields["volumes"][number];

const PROVIDE_IT =
  "a Berth stack has no directory on the host to mount; build it into the image (build: in a git-sourced stack) or give the setting as environment variables";

/** `./data`, `../shared`, `.`: relative to the compose file, as compose reads a bind source. PURE. */
export function isRelativeSource(source: string): boolean {
  return source === "." || source.startsWith("./") || source.startsWith("../") || source === "..";
}

/**
 * A path as a volume name (part): "./volumes/db/data" -> "volumes-db-data", "/var/lib/mysql" ->
 * "var-lib-mysql"; the same on every import of the file. PURE.
 */
export function volumeNameOf(source: string): string {
  return (
    source
      .toLowerCase()
      .replace(/^(\.\.?\/)+/, "")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 40) || "data"
  );
}

/** Where images run the scripts they find (databases' init scripts, nginx's): empty in a new volume. */
const INPUT_DIRECTORIES = /^\/docker-entrypoint-[a-z]+\.d(\/|$)|^\/docker-entrypoint\.d(\/|$)/;

/** Configuration files named without an extension. */
const FILE_NAMES = new Set(["Caddyfile", "Corefile", "Dockerfile", "Procfile"]);

/** The last part of the path has an extension (`nginx.conf`, `init.sql`) or is such a name: a file, not a data directory. */
const looksLikeFile = (source: string) => {
  const base = path.posix.basename(source);
  return FILE_NAMES.has(base) || /^[^.].*\.[A-Za-z0-9]{1,8}$/.test(base);
};

/** What the repository has at the mount's source: a file, a directory, nothing (or a path that leaves it). */
function inRepository(repo: ComposeRepo, source: string): "file" | "directory" | null {
  const file = repoPath(repo.dir, source);
  if (file === null) return null;
  try {
    return repo.kind(file);
  } catch (e) {
    if (e instanceof RepoFileError) return "file";
    throw e;
  }
}

export function relativeMount(
  m: MountSpec & { source: string },
  key: string,
  repo: ComposeRepo | null,
  err: Report,
  warn: Report,
): VolumeField | null {
  const { source, target } = m;
  if (m.readOnly) {
    err(key, `${source} is mounted read-only, so it holds files of the stack's own: ${PROVIDE_IT}`);
    return null;
  }
  if (INPUT_DIRECTORIES.test(target)) {
    err(key, `${source} holds scripts the image runs at ${target} (files of the stack's own): ${PROVIDE_IT}`);
    return null;
  }
  const found = repo === null ? null : inRepository(repo, source);
  if (found === "file" || (found === null && looksLikeFile(source))) {
    err(key, `${source} is a file of the stack's own: ${PROVIDE_IT}`);
    return null;
  }
  if (found === "directory") {
    err(key, `${source} is a directory of the repository, whose files a volume would not have: ${PROVIDE_IT}`);
    return null;
  }
  const name = volumeNameOf(source);
  warn(
    key,
    `${source} becomes the volume ${name}: it starts with what the image has at ${target} and keeps what the service writes there across redeploys`,
  );
  return { name, mountPath: target, readOnly: false };
}
