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

/** What every use case may need. Built once in main.ts (or by a test) and passed down. */
export interface Deps {
  env: Env;
  log: Log;
  db: Db;
  engine: ContainerEngine;
  /** Outgoing mail when SMTP is configured (password reset, invitations); null otherwise. */
  mailer?: Mailer | null;
  /** Deployment log lines and status changes, for live viewers. */
  events: DeploymentEvents;
  /** The Caddy edge proxy Berth configures (null/absent: BERTH_PROXY_ADMIN=off). */
  proxy?: EdgeProxy | null;
  /** DNS lookups for the domain check (default node:dns); tests inject a local one. */
  dns?: DnsResolver;
  /** Wakes the deployment worker at once instead of at its next poll. */
  wakeWorker?: () => void;
  /** Build secrets of a service's git builds (issue #7 wires its encrypted secrets here). */
  /** Aborts a deployment this process's worker runs (others see the row's cancel flag). */
  cancelDeployment?: (deploymentId: string) => void;
  /** Live metrics points (the sampler publishes, the realtime gateway forwards). */
  metrics?: MetricsBus;
  /** Recent engine events per service (crash loops, OOM kills) for the overview. */
  engineWatch?: EngineWatch;
}
