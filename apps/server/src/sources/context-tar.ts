import { lstat, readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { packTar, type TarEntry } from "@berth/engine";

const MAX_CONTEXT_BYTES = 500 * 1024 * 1024;

/**
 * Pack a directory (a cloned repository's build context) into a tar for the engine.
 * Regular files only (symlinks and the .git directory are skipped); executable bits kept.
 */
export async function packDirectory(root: string): Promise<{ tar: Buffer; files: number }> {
  const entries: TarEntry[] = [];
  let total = 0;
  async function walk(dir: string): Promise<void> {
    for (const name of (await readdir(dir)).sort()) {
      if (dir === root && name === ".git") continue;
      const full = path.join(dir, name);
      const info = await lstat(full);
      if (info.isDirectory()) {
        await walk(full);
      } else if (info.isFile()) {
        total += info.size;
        if (total > MAX_CONTEXT_BYTES) throw new Error(`The build context is larger than ${MAX_CONTEXT_BYTES / 1024 / 1024} MB`);
        const rel = path.relative(root, full).split(path.sep).join("/");
        if (Buffer.byteLength(rel) > 100) throw new Error(`The path ${rel} is too long for the build context (100 bytes at most)`);
        entries.push({ name: rel, data: await readFile(full), mode: info.mode & 0o111 ? 0o755 : 0o644 });
      }
    }
  }
  await walk(root);
  return { tar: packTar(entries), files: entries.length };
}
