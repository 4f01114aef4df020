import type { Db } from "@berth/db";
import type { ContainerEngine } from "@berth/engine";
import type { Env } from "./config/env.ts";
import type { DeploymentEvents } from "./deployments/events.ts";
import type { Log } from "./log.ts";
import type { Mailer } from "./mail/mailer.ts";
import type { EdgeProxy } from "./proxy/edge-proxy.ts";
import type { DnsResolver } from "./domains/dns-check.ts";
import type { MetricsBus } from "./metrics/bus.ts";
import type { EngineWatch } from "./overview/engine-watch.ts";
import type { SealedBox } from "./secrets/sealed-box.ts";
import type { WorkerSignals } from "./deployments/worker-signals.ts";

/**
 * What every use case may need. Built once, complete, in main.ts / worker-main.ts (or by a
 * test) and never changed afterwards: what is made from the deps (the edge proxy, the engine
 * watch) is made first from their parts, and the deployment worker attaches itself to `queue`.
 */
export interface Deps {
  readonly env: Env;
  readonly log: Log;
  readonly db: Db;
  readonly engine: ContainerEngine;
  /** Seals and opens secrets at rest under BERTH_SECRET (and BERTH_SECRET_PREVIOUS). */
  readonly box: SealedBox;
  /** Outgoing mail when SMTP is configured (password reset, invitations); null otherwise. */
  readonly mailer?: Mailer | null;
  /** Deployment log lines and status changes, for live viewers. */
  readonly events: DeploymentEvents;
  /** The Caddy edge proxy Berth configures (null/absent: BERTH_PROXY_ADMIN=off). */
  readonly proxy?: EdgeProxy | null;
  /** DNS lookups for the domain check (default node:dns); tests inject a local one. */
  readonly dns?: DnsResolver;
  /** Wakes this process's deployment worker at once (instead of at its next poll) and aborts its deployments. */
  readonly queue: WorkerSignals;
  /** Live metrics points (the sampler publishes, the realtime gateway forwards). */
  readonly metrics?: MetricsBus;
  /** Recent engine events per service (crash loops, OOM kills) for the overview. */
  readonly engineWatch?: EngineWatch;
}
