import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../../..");

/**
 * A real control-plane worker process (apps/server/src/worker-main.ts: recovery, then the queue
 * consumer) on the tests' database, with `env` over the defaults (e.g. BERTH_WORKER_NAME).
 */
export function startWorkerProcess(secret: string, env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", "apps/server/src/worker-main.ts"], {
    cwd: repoRoot,
    env: { NODE_ENV: "test", PATH: process.env.PATH, DATABASE_URL: process.env.DATABASE_URL, BERTH_SECRET: secret, BERTH_LOG_LEVEL: "warn", BERTH_READY_TIMEOUT_S: "5", BERTH_PROXY_ADMIN: "off", ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** kill -9, resolved once the process is gone. */
export async function kill9(proc: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => proc.once("exit", resolve));
  proc.kill("SIGKILL");
  await exited;
}
