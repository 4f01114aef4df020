/** Test-only: run a command by argv (never through a shell), synchronously. */
import { spawnSync } from "node:child_process";

export function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** Cleanup steps may find their object already gone: report, never throw. */
export function tryRun(cmd: string, args: string[], failures: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) failures.push(`${cmd} ${args.join(" ")}: ${(r.stderr || r.error?.message || "").trim()}`);
}
