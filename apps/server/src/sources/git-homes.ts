/**
 * The private temp HOMEs of git runs, named for the process that made them, so a restarted Berth
 * can end what a killed one left: git (started in its own process group) outlives a kill -9 of
 * its parent, and its home holds the clone and, for SSH sources, the deploy key in plain text.
 *
 * The name carries the owner's pid and its start time (from /proc), so a recycled pid is not
 * taken for the owner. Several Berth processes on one host (the web process and the worker)
 * each leave the others' runs alone: only homes whose owner is gone are swept.
 *
 * Written against /proc by hand: the process-listing libraries give names and pids, not the
 * environment (HOME) that ties a leftover git and its helpers (git-remote-http, ssh) to a home.
 */
import { readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

const PREFIX = "berth-git-";
const OWNED = /^berth-git-(\d+)\.(\d+)-/;

/** `berth-git-<pid>.<start time>-`: the mkdtemp prefix of this process's git homes. */
export async function gitHomePrefix(): Promise<string> {
  return path.join(tmpdir(), `${PREFIX}${process.pid}.${(await startTimeOf(process.pid)) ?? 0}-`);
}

/**
 * End the git processes of homes whose owner process is gone, and remove those homes.
 * Returns what it did; never throws (a host without /proc sweeps nothing).
 */
export async function endOrphanedGitRuns(): Promise<{ processes: number; homes: number }> {
  const orphaned = new Set<string>();
  for (const name of await readdir(tmpdir()).catch(() => [] as string[])) {
    const owner = OWNED.exec(name);
    if (!owner) continue;
    const start = await startTimeOf(Number(owner[1]));
    if (start !== Number(owner[2])) orphaned.add(path.join(tmpdir(), name));
  }
  if (orphaned.size === 0) return { processes: 0, homes: 0 };
  let processes = 0;
  for (const pid of await processIds()) {
    const home = await homeOf(pid);
    if (home === null || !orphaned.has(home)) continue;
    processes++;
    try {
      // git runs in its own process group (runGit): end the group, helpers included.
      process.kill(-((await groupOf(pid)) ?? pid), "SIGKILL");
    } catch {
      // it ended meanwhile
    }
  }
  for (const home of orphaned) await rm(home, { recursive: true, force: true });
  return { processes, homes: orphaned.size };
}

/** /proc/<pid>/stat fields after the command name (which may hold spaces and parentheses). */
async function statFields(pid: number): Promise<string[] | null> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** Start time in clock ticks since boot (field 22 of stat); null when the process is gone. */
export async function startTimeOf(pid: number): Promise<number | null> {
  const fields = await statFields(pid);
  return fields ? Number(fields[19]) : null;
}

/** Process group id (field 5 of stat). */
async function groupOf(pid: number): Promise<number | null> {
  const fields = await statFields(pid);
  return fields ? Number(fields[2]) : null;
}

async function processIds(): Promise<number[]> {
  const entries = await readdir("/proc").catch(() => [] as string[]);
  return entries.filter((e) => /^\d+$/.test(e)).map(Number);
}

/** The process's HOME when it is one of the git homes (other users' processes are unreadable). */
async function homeOf(pid: number): Promise<string | null> {
  const environ = await readFile(`/proc/${pid}/environ`, "utf8").catch(() => null);
  if (environ === null) return null;
  const home = environ.split("\0").find((v) => v.startsWith(`HOME=${tmpdir()}${path.sep}${PREFIX}`));
  return home ? home.slice("HOME=".length) : null;
}
