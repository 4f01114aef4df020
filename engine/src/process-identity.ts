/**
 * The rules for who and where the process runs and what it may hold (compose's `user:`,
 * `working_dir:` and `ulimits:`), apart so the spec checks and the port's exports share them
 * without a circle.
 */
import type { Ulimit } from "./spec-types.ts";

const RUN_AS_PART = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}";
const RUN_AS = new RegExp(`^${RUN_AS_PART}(?::${RUN_AS_PART})?$`);

/** What a run-as user that fails the rule is told, at its field. */
export const RUN_AS_USER_RULE = "A user name or id, optionally :group (e.g. 1000:1000 or postgres)";

/** The user a container runs as: a name or id, optionally `:group` (each up to 32 of letters, digits, _ . -; no leading -). */
export function isValidRunAsUser(user: string): boolean {
  return typeof user === "string" && RUN_AS.test(user);
}

/** What a working directory that fails the rule is told, at its field. */
export const WORKING_DIR_RULE = "An absolute path inside the container (e.g. /app)";

/** A working directory: absolute, at most 1024 characters, no NUL or line break. */
export function isValidWorkingDir(dir: string): boolean {
  return typeof dir === "string" && dir.startsWith("/") && dir.length <= 1024 && !/[\0\r\n]/.test(dir);
}

/**
 * The limits a service may set. Not rtprio, rttime or nice: those let a process take the CPU from
 * every other tenant (real-time scheduling without CAP_SYS_NICE); not cpu, data, fsize, rss:
 * nothing asks for them (the cgroup limits apply).
 */
export const ULIMIT_NAMES = ["nofile", "nproc", "memlock", "core", "stack", "locks", "sigpending", "msgqueue"] as const;
/** The kernel's default ceiling of open files per process (fs.nr_open). */
const MAX_NOFILE = 1_048_576;

/** Why a ulimit is refused, or null. -1 (unlimited) everywhere but nofile; soft at most hard. PURE. */
export function ulimitProblem(u: Ulimit): string | null {
  if (!(ULIMIT_NAMES as readonly string[]).includes(u.name))
    return `${u.name} is not a limit a service may set (${ULIMIT_NAMES.join(", ")})`;
  const bound = (n: number) =>
    Number.isSafeInteger(n) && (n === -1 ? u.name !== "nofile" : n >= 0 && (u.name !== "nofile" || n <= MAX_NOFILE));
  if (!bound(u.soft) || !bound(u.hard))
    return u.name === "nofile" ? `nofile is 0 to ${MAX_NOFILE} open files` : `${u.name} is a whole number, or -1 for unlimited`;
  if (u.hard !== -1 && (u.soft === -1 || u.soft > u.hard)) return `${u.name}: the soft limit is at most the hard one`;
  return null;
}

/** Locked memory a service may ask for without a memory limit (bytes; the kernel counts memlock in bytes). */
export const MEMLOCK_WITHOUT_MEMORY_LIMIT = 64 * 1024 * 1024;

/**
 * Why a memlock ulimit is refused, or null: locked pages cannot be swapped or reclaimed, and only
 * the container's memory limit (its cgroup, which they are charged to) bounds them. Without one,
 * `memlock=unlimited` (Elasticsearch's quick start) would let a service pin the host's memory
 * for good, so more than 64 MiB needs a memory limit. PURE.
 */
export function memlockProblem(ulimits: readonly Ulimit[], memoryBytes: number | undefined): string | null {
  if (memoryBytes !== undefined) return null;
  const memlock = ulimits.find((u) => u.name === "memlock");
  if (!memlock || (memlock.hard !== -1 && memlock.hard <= MEMLOCK_WITHOUT_MEMORY_LIMIT)) return null;
  return "memlock above 64 MiB needs a memory limit: locked memory cannot be reclaimed, and only the memory limit bounds it";
}
