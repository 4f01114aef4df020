/**
 * The deployment worker on its own: recovery at boot, then the queue consumer; no HTTP, no
 * Next. Used by the crash-recovery test and to run builds in a separate process: its log
 * lines and status changes reach the web process' viewers through Postgres NOTIFY.
 */
import { createDb } from "@berth/db";
import { DockerEngine } from "@berth/engine";
import { readEnv } from "./config/env.ts";
import type { Deps } from "./deps.ts";
import { PgDeploymentEvents } from "./deployments/pg-events.ts";
import { workerNameOf } from "./deployments/lease.ts";
import { recoverWhenReachable } from "./deployments/recovery.ts";
import { DeploymentWorker } from "./deployments/worker.ts";
import { BackupScheduler } from "./backups/scheduler.ts";
import { createLog } from "./log.ts";
import { createEdgeProxy } from "./proxy/create-edge-proxy.ts";
import { createMailer } from "./mail/mailer.ts";
import { attachNotifier } from "./notifications/notifier.ts";
import { attachStackCoordinator } from "./stacks/deploy-stack.ts";
import { sealThenStart } from "./secrets/seal-at-rest.ts";
import { sealedBoxOf } from "./secrets/sealed-box.ts";
import { WorkerSignals } from "./deployments/worker-signals.ts";
import { Reconciler } from "./reconcile/reconciler.ts";
import { CronScheduler } from "./cron/scheduler.ts";

const env = readEnv();
const log = createLog(env.BERTH_LOG_LEVEL);
const db = createDb(env.DATABASE_URL);
// Announces log lines and status changes to the process serving the viewers (Postgres NOTIFY),
// and LISTENs for the other processes' status changes: a deployment queued by the web process
// wakes this worker at once (worker.ts).
const events = new PgDeploymentEvents({ db, log, databaseUrl: env.DATABASE_URL });
events.start();
const parts = { env, log, db, engine: new DockerEngine({ socketPath: env.BERTH_DOCKER_SOCKET }), box: sealedBoxOf(env) };
// Switches the proxy at hand-over when it runs deployments; the HTTP server's watcher restores routes.
const proxy = createEdgeProxy(env, parts);
const deps: Deps = Object.freeze({ ...parts, events, mailer: createMailer(env), proxy, queue: new WorkerSignals() });
const worker = new DeploymentWorker(deps, { pollMs: 250, name: workerNameOf(env, "worker") });
// Scheduled database backups (the web process runs one too: each slot is claimed atomically).
const backupScheduler = new BackupScheduler(deps);
// Cron jobs run here (beside the web process' scheduler, if any: slots are claimed in Postgres).
const cron = new CronScheduler(deps);
attachNotifier(deps);
attachStackCoordinator(deps);
// Boot recovery only: the HTTP server's reconciler follows engine events and runs periodically.
const reconciler = new Reconciler(deps, { intervalMs: 0 });
recoverWhenReachable(deps, reconciler, worker.lease.workerName, () =>
  sealThenStart(deps, () => {
    log.info("worker recovered; consuming the queue");
    worker.start();
    backupScheduler.start();
    cron.start();
  }),
);

async function shutdown(): Promise<void> {
  await worker.stop();
  await backupScheduler.stop();
  await cron.stop();
  await events.close();
  await deps.db.$disconnect();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown());
process.on("SIGINT", () => void shutdown());
