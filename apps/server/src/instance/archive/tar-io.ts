/**
 * Writing entries into an instance archive and unpacking directory entries from it
 * (tar-stream). Only regular files and directories travel: the proxy's admin socket and
 * anything else special is left out, and a restore writes nothing outside the target directory.
 */
import { createReadStream, createWriteStream } from "node:fs";
import { chmod, lstat, mkdir, readdir } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Pack } from "tar-stream";

export function addBuffer(pack: Pack, name: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    pack.entry({ name, size: data.length, mode: 0o600 }, data, (err) => (err ? reject(err) : resolve()));
  });
}

export async function addFile(pack: Pack, name: string, file: string, mode = 0o600): Promise<void> {
  const { size } = await lstat(file);
  await pipeline(createReadStream(file), pack.entry({ name, size, mode }));
}

/**
 * Add a directory tree under `prefix/` (modes and times kept); `skip` leaves paths out (the
 * archive being written, if it lies inside). Returns the paths left out as not regular files.
 */
export async function addDirectory(pack: Pack, prefix: string, root: string, skip: (file: string) => boolean): Promise<string[]> {
  const leftOut: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const entryName = `${prefix}/${rel}${name}`;
      if (skip(full)) continue;
      const stat = await lstat(full);
      if (stat.isDirectory()) {
        await new Promise<void>((resolve, reject) =>
          pack.entry({ name: `${entryName}/`, type: "directory", mode: stat.mode & 0o7777, mtime: stat.mtime }, (err) =>
            err ? reject(err) : resolve(),
          ),
        );
        await walk(full, `${rel}${name}/`);
      } else if (stat.isFile()) {
        await pipeline(
          createReadStream(full),
          pack.entry({ name: entryName, size: stat.size, mode: stat.mode & 0o7777, mtime: stat.mtime }),
        );
      } else if (!stat.isSocket()) {
        leftOut.push(full);
      }
    }
  };
  await walk(root, "");
  return leftOut;
}

/** Where an archive entry `prefix/rel` lands under `root`; null for a name that would leave it. */
export function targetPath(root: string, prefix: string, name: string): string | null {
  if (!name.startsWith(`${prefix}/`)) return null;
  const rel = name.slice(prefix.length + 1).replace(/\/$/, "");
  if (rel === "") return root;
  if (rel.startsWith("/") || rel.split("/").some((part) => part === ".." || part === "." || part === "")) return null;
  return path.join(root, rel);
}

/** Write one directory or file entry at `target` (parents made 0700), with the archived mode. */
export async function writeEntry(
  target: string,
  type: string | null | undefined,
  mode: number | undefined,
  stream: NodeJS.ReadableStream,
): Promise<void> {
  const perm = (mode ?? 0o600) & 0o7777;
  if (type === "directory") {
    stream.resume();
    await mkdir(target, { recursive: true, mode: 0o700 });
    await chmod(target, perm);
    return;
  }
  if (type !== "file")
    throw new Error(`${target}: the archive holds a ${type ?? "special"} entry here; only files and directories are restored`);
  await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
  await pipeline(stream, createWriteStream(target, { mode: perm }));
  await chmod(target, perm);
}
