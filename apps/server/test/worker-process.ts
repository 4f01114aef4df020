import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { testGitCacheDir } from "./harness.ts";

const repoRoot = path.resolve(import.meta.dirname, "../../..");

/**
 * Build the production bundle (apps/server/build.mjs -> dist/worker-main.js, as `npm run
 * build` does) for `startWorkerProcess(..., { bundled: true })`: it boots in a second or two,
 * where loading the sources through tsx takes ~20 s on a loaded 2-core machine -- what a test
 * that restarts the worker many times pays for every restart.
 */
export function buildWorkerBundle(): void {
  execFileSync(process.execPath, ["build.mjs"], { cwd: path.join(repoRoot, "apps/server"), stdio: "pipe" });
}

/**
 * A real control-plane worker process (apps/server/src/worker-main.ts: recovery, then the queue
 * consumer) on the tests' database, with `env` over the defaults (e.g. BERTH_WORKER_NAME);
 * `bundled`: the bundle buildWorkerBundle() made.
 */
export function startWorkerProcess(secret: string, env: Record<string, string> = {}, { bundled = false } = {}): ChildProcess {
  const entry = bundled
    ? ["--enable-source-maps", "apps/server/dist/worker-main.js"]
    : ["--import", "tsx", "apps/server/src/worker-main.ts"];
  return spawn(process.execPath, entry, {
    cwd: repoRoot,
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH,
      DATABASE_URL: process.env.DATABASE_URL,
      BERTH_SECRET: secret,
      BERTH_LOG_LEVEL: "warn",
      BERTH_READY_TIMEOUT_S: "5",
      BERTH_PROXY_ADMIN: "off",
      // The same place as this file's own deps (harness.ts), never the host's /var/lib/berth.
      BERTH_GIT_CACHE_DIR: testGitCacheDir(),
      ...env,
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** kill -9, resolved once the process is gone. */
export async function kill9(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGKILL");
  await exited;
}
