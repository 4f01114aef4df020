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
import { createMailer } from "./mail/mailer.ts";
import { attachNotifier } from "./notifications/notifier.ts";
import { sealThenStart } from "./secrets/seal-at-rest.ts";

const env = readEnv();
const log = createLog(env.BERTH_LOG_LEVEL);
const deps: Deps = { env, log, db: createDb(env.DATABASE_URL), engine: new DockerEngine({ socketPath: env.BERTH_DOCKER_SOCKET }), events: new DeploymentEvents(), mailer: createMailer(env) };
const worker = new DeploymentWorker(deps, { pollMs: 250 });
deps.cancelDeployment = worker.cancel;
attachNotifier(deps);
recoverWhenReachable(deps, () =>
  sealThenStart(deps, () => {
    log.info("worker recovered; consuming the queue");
    worker.start();
  }),
);

async function shutdown(): Promise<void> {
  await worker.stop();
  await deps.db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
