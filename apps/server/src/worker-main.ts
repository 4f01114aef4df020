/**
 * The deployment worker on its own: recovery at boot, then the queue consumer; no HTTP, no
 * Next. Used by the crash-recovery test (and usable to run builds in a separate process).
 */
import { createDb } from "@berth/db";
import { DockerEngine } from "@berth/engine";
import { readEnv } from "./config/env.ts";
import type { Deps } from "./deps.ts";
import { DeploymentEvents } from "./deployments/events.ts";
import { recoverWhenReachable } from "./deployments/recovery.ts";
import { DeploymentWorker } from "./deployments/worker.ts";
import { createLog } from "./log.ts";
import { createEdgeProxy } from "./proxy/create-edge-proxy.ts";

const env = readEnv();
const log = createLog(env.BERTH_LOG_LEVEL);
const deps: Deps = { env, log, db: createDb(env.DATABASE_URL), engine: new DockerEngine({ socketPath: env.BERTH_DOCKER_SOCKET }), events: new DeploymentEvents() };
// Switches the proxy at hand-over when it runs deployments; the HTTP server's watcher restores routes.
deps.proxy = createEdgeProxy(env, deps);
const worker = new DeploymentWorker(deps, { pollMs: 250 });
deps.cancelDeployment = worker.cancel;
recoverWhenReachable(deps, () => {
  log.info("worker recovered; consuming the queue");
  worker.start();
});

async function shutdown(): Promise<void> {
  await worker.stop();
  await deps.db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
