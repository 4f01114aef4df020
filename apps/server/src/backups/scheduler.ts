/**
 * Runs scheduled database backups (in the worker process). Each due policy is CLAIMED by moving
 * its nextRunAt forward with a conditional update (WHERE nextRunAt = the value read): when
 * several processes tick at once, exactly one wins each slot, so a backup never runs twice.
 * A slot missed while no worker ran is run once, not once per missed slot. Each pass first
 * ends backups and restores whose process died (lease.ts).
 */
import type { Deps } from "../deps.ts";
import { nextRun } from "../schedules/cron-expression.ts";
import { instanceTimeZone } from "./destinations.ts";
import { endLapsedBackups } from "./lease.ts";
import { type BackupDeps, runBackup } from "./run-backup.ts";

export interface BackupSchedulerOptions {
  intervalMs?: number;
  /** The clock (tests inject one). */
  now?: () => Date;
  timeZone?: string;
}

export class BackupScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly now: () => Date;

  constructor(
    private readonly deps: BackupDeps & Pick<Deps, "log">,
    private readonly options: BackupSchedulerOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs ?? 15_000);
    void this.tick();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: claim and run every due backup. Returns the ids of the services backed up. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<void> {
    // First (at boot too): end backups and restores left running by a process that died.
    const ended = await endLapsedBackups(this.deps.db);
    if (ended.backups.length + ended.restores.length > 0) this.deps.log.warn(ended, "ended backups and restores whose process stopped");
    const now = this.now();
    const due = await this.deps.db.backupPolicy.findMany({
      where: { cron: { not: null }, nextRunAt: { lte: now } },
      orderBy: { nextRunAt: "asc" },
    });
    for (const policy of due) {
      const next = nextRun(policy.cron!, this.options.timeZone ?? instanceTimeZone(), now);
      const claimed = await this.deps.db.backupPolicy.updateMany({
        where: { id: policy.id, nextRunAt: policy.nextRunAt },
        data: { nextRunAt: next },
      });
      if (claimed.count !== 1) continue;
      // A failure is recorded on its row and notified by runBackup.
      await runBackup(this.deps, policy.serviceId, { trigger: "schedule", actor: null, now, volume: policy.volume }).catch((err: unknown) =>
        this.deps.log.warn({ serviceId: policy.serviceId, err: String(err) }, "scheduled backup failed"),
      );
    }
  }
}
