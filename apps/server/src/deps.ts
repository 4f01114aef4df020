import type { Db } from "@berth/db";
import type { ContainerEngine } from "@berth/engine";
import type { Env } from "./config/env.ts";
import type { Log } from "./log.ts";
import type { Mailer } from "./mail/mailer.ts";

/** What every use case may need. Built once in main.ts (or by a test) and passed down. */
export interface Deps {
  env: Env;
  log: Log;
  db: Db;
  engine: ContainerEngine;
  /** Outgoing mail when SMTP is configured (password reset, invitations); null otherwise. */
  mailer?: Mailer | null;
  /** Wakes the deployment worker at once instead of at its next poll. */
  wakeWorker?: () => void;
}
