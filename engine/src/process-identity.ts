/**
 * The rules for who and where the process runs (compose's `user:` and `working_dir:`), apart so
 * the spec checks and the port's exports share them without a circle.
 */
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
