import { type ComposeRepo, RepoFileError } from "../src/stacks/compose-repo.ts";
import type { ImportResult } from "../src/stacks/import-compose.ts";

/** The errors of a compose file the test expects refused. */
export function errorsOf(r: ImportResult) {
  if (r.ok) throw new Error("expected the file to be refused");
  return r.errors;
}

/** The plan of a compose file the test expects imported. */
export function planOf(r: ImportResult) {
  if (!r.ok) throw new Error(`refused: ${JSON.stringify(r.errors)}`);
  return r;
}

/**
 * A git-sourced stack's checkout in memory: `files` by their path from the repository root (a
 * directory is any prefix of them); `outside` paths behave like a symbolic link leaving it.
 */
export function memoryRepo(dir: string, files: Record<string, string>, outside: string[] = []): ComposeRepo {
  const leaving = (p: string) => {
    if (outside.includes(p)) throw new RepoFileError(`${p} resolves outside the repository (through a symbolic link): refused`);
  };
  const isDirectory = (p: string) => p === "." || Object.keys(files).some((f) => f.startsWith(`${p}/`));
  return {
    dir,
    read(p) {
      leaving(p);
      if (isDirectory(p)) throw new RepoFileError(`${p} is not a file`);
      return files[p] ?? null;
    },
    kind(p) {
      leaving(p);
      return p in files ? "file" : isDirectory(p) ? "directory" : null;
    },
  };
}
