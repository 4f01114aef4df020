import { createServer, type Server } from "node:http";
import path from "node:path";
import next from "next";
import { createDb } from "@berth/db";
import { DockerEngine } from "@berth/engine";
import { createAuth } from "./auth/auth.ts";
import type { Env } from "./config/env.ts";
import type { Deps } from "./deps.ts";
import { PgDeploymentEvents } from "./deployments/pg-events.ts";
import { workerNameOf } from "./deployments/lease.ts";
import { recoverWhenReachable } from "./deployments/recovery.ts";
import { DeploymentWorker } from "./deployments/worker.ts";
import { BackupScheduler } from "./backups/scheduler.ts";
import { createRequestHandler } from "./http/request-handler.ts";
import { provideRenderQueries, stampRenderHeaders } from "./http/render-queries.ts";
import { pinWebBuild } from "./http/web-build.ts";
import type { Log } from "./log.ts";
import { createMailer } from "./mail/mailer.ts";
import { applyDashboardDomainFromEnv } from "./instance/dashboard-domain.ts";
import { createEdgeProxy } from "./proxy/create-edge-proxy.ts";
import { attachRealtime } from "./realtime/gateway.ts";
import { attachNotifier } from "./notifications/notifier.ts";
import { attachStackCoordinator } from "./stacks/deploy-stack.ts";
import { sealThenStart } from "./secrets/seal-at-rest.ts";
import { sealedBoxOf } from "./secrets/sealed-box.ts";
import { WorkerSignals } from "./deployments/worker-signals.ts";
import { MetricsBus } from "./metrics/bus.ts";
import { MetricsSampler } from "./metrics/sampler.ts";
import { METRICS_WINDOW_MS } from "./metrics/store.ts";
import { MetricsRelay } from "./metrics/relay.ts";
import { LeaderLease } from "./instance/leader-lease.ts";
import { EngineWatch } from "./overview/engine-watch.ts";
import { Reconciler } from "./reconcile/reconciler.ts";
import { CronScheduler } from "./cron/scheduler.ts";
import { ServerChecker } from "./servers/server-checker.ts";

export interface RunningApp {
  server: Server;
  close(): Promise<void>;
}

const WEB_DIR = path.resolve(import.meta.dirname, "../../web");

/** Wire the control plane: one HTTP server for Next, tRPC, auth, socket.io; the worker. */
export async function startApp(env: Env, log: Log): Promise<RunningApp> {
  const db = createDb(env.DATABASE_URL);
  // Log lines and status changes reach this process' viewers whichever process runs the worker.
  const events = new PgDeploymentEvents({ db, log, databaseUrl: env.DATABASE_URL });
  events.start();
  const metrics = new MetricsBus();
  const parts = { env, log, db, engine: new DockerEngine({ socketPath: env.BERTH_DOCKER_SOCKET }), box: sealedBoxOf(env) };
  // Watches Caddy's admin API and applies the routes Postgres describes (at boot, on change,
  // and whenever Caddy restarts).
  const proxy = createEdgeProxy(env, parts);
  const engineWatch = new EngineWatch(parts);
  const deps: Deps = Object.freeze({
    ...parts,
    events,
    mailer: createMailer(env),
    metrics,
    proxy,
    engineWatch,
    queue: new WorkerSignals(),
  });
  proxy?.start();
  // Keeps the engine at the desired state: at boot (recovery), on engine events, periodically.
  const reconciler = new Reconciler(deps, { intervalMs: env.BERTH_RECONCILE_INTERVAL_S * 1000 });
  const processName = workerNameOf(env, String(env.BERTH_PORT));
  // One process on the database samples metrics (one stats stream per container, one stored row
  // per window); it relays the points to the others' viewers.
  const samplerLease = new LeaderLease(deps, "metrics-sampler", processName);
  const relay = new MetricsRelay({ db, log, databaseUrl: env.DATABASE_URL }, metrics, METRICS_WINDOW_MS);
  const sampler = new MetricsSampler(deps, metrics, { election: { lease: samplerLease, relay } });
  const auth = createAuth(deps);
  // Build concurrency is read from the instance settings at every claim (live changes apply).
  const worker = new DeploymentWorker(deps, { name: processName });
  // Also in worker-main.ts: each due slot is claimed atomically, so two processes never run it twice.
  const backupScheduler = new BackupScheduler(deps);
  // Like the deployment worker, the cron scheduler also runs here (a single-process install);
  // with a separate worker process both run and Postgres gives each slot to one of them.
  const cron = new CronScheduler(deps);
  // One process on the database checks the servers' engines (state, version, resources).
  const serverChecker = new ServerChecker(deps, new LeaderLease(deps, "server-checker", processName));

  const server = createServer();
  const dev = env.NODE_ENV === "development";
  // next.config.mjs reads the build directory from here: the resolved one, fixed for this process.
  const distDir = pinWebBuild(WEB_DIR, env.BERTH_WEB_DIST_DIR ?? ".next");
  process.env.BERTH_WEB_DIST_DIR = distDir;
  const nextApp = next({ dev, dir: WEB_DIR, hostname: env.BERTH_HOST, port: env.BERTH_PORT, httpServer: server });
  await nextApp.prepare();
  const nextHandler = nextApp.getRequestHandler();
  // The dashboard's server components ask this app for a page's first data (http/render-queries.ts).
  const renderQueries = provideRenderQueries(deps, auth);
  server.on(
    "request",
    createRequestHandler(deps, auth, (req, res) => {
      stampRenderHeaders(req, deps, renderQueries.appId);
      return nextHandler(req, res);
    }),
  );
  const io = attachRealtime(server, deps, auth);

  const detachNotifier = attachNotifier(deps);
  const detachStacks = attachStackCoordinator(deps);
  recoverWhenReachable(deps, reconciler, worker.lease.workerName, () => {
    // The up command's BERTH_DASHBOARD_DOMAIN becomes the stored setting (the proxy's watcher picks it up).
    applyDashboardDomainFromEnv(deps).catch((err: unknown) => log.error({ err: String(err) }, "BERTH_DASHBOARD_DOMAIN not applied"));
    sealThenStart(deps, () => {
      worker.start();
      reconciler.start();
      backupScheduler.start();
      cron.start();
    });
  });
  engineWatch.start();
  relay.start();
  samplerLease.start();
  sampler.start();
  serverChecker.start();
  await new Promise<void>((resolve) => server.listen(env.BERTH_PORT, env.BERTH_HOST, resolve));
  log.info({ url: env.publicUrl, port: env.BERTH_PORT, host: env.BERTH_HOST, webBuild: distDir }, "Berth is listening");

  return {
    server,
    async close() {
      await worker.stop();
      await backupScheduler.stop();
      await cron.stop();
      await reconciler.stop();
      await deps.proxy?.stop();
      detachNotifier();
      detachStacks();
      deps.engineWatch?.stop();
      await sampler.stop();
      await serverChecker.stop();
      await samplerLease.stop();
      await relay.close();
      await io.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await nextApp.close();
      renderQueries.stop();
      await events.close();
      await deps.db.$disconnect();
    },
  };
}
