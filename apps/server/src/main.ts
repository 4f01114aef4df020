import { readEnv } from "./config/env.ts";
import { createLog } from "./log.ts";
import { startApp } from "./app.ts";

const env = readEnv();
const log = createLog(env.BERTH_LOG_LEVEL);

process.on("unhandledRejection", (reason) => log.error({ err: reason }, "unhandled rejection"));

const app = await startApp(env, log);

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  log.info({ signal }, "shutting down");
  const timer = setTimeout(() => process.exit(1), 15_000);
  timer.unref();
  await app.close().catch((err: unknown) => log.error({ err }, "shutdown incomplete"));
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
