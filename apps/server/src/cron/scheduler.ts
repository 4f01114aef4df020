/**
 * The cron scheduler: every second, each enabled job whose next slot (croner, in the instance's
 * time zone) has come is claimed and run (run-cron-job.ts). Slots missed while no scheduler ran
 * are not made up: a job's first slot is the first one after the scheduler first saw it. Several
 * schedulers (the web process and the worker) may run at once: the claim in Postgres makes each
 * slot run once. Also sweeps runs whose process died (sweep.ts).
 */
import type { CronJob } from "@berth/db";
import type { Deps } from "../deps.ts";
import { nextRun } from "../schedules/cron-expression.ts";
import { sweepLostRuns } from "../one-offs/sweep.ts";
import { instanceTimeZone } from "./cron-jobs.ts";
import { runCronJob } from "./run-cron-job.ts";

type CronDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "mailer" | "box">;

const TICK_MS = 1000;
const SWEEP_EVERY_TICKS = 15;

export class CronScheduler {
  /** Per job: its schedule when seen, and the time its next slot is searched from. */
  private readonly cursors = new Map<string, { schedule: string; from: Date }>();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();
  private ticks = 0;
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: CronDeps) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ticking = this.ticking
        .then(() => this.tick())
        .catch((err: unknown) => this.deps.log.warn({ err: String(err) }, "cron tick failed"));
    }, TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.ticking;
    await Promise.all(this.running);
  }

  async tick(now = new Date()): Promise<void> {
    // A failed sweep (e.g. the engine is unreachable) must not hold up the schedules.
    if (this.ticks++ % SWEEP_EVERY_TICKS === 0)
      await sweepLostRuns(this.deps).catch((err: unknown) => this.deps.log.warn({ err: String(err) }, "one-off sweep failed"));
    const jobs = await this.deps.db.cronJob.findMany({ where: { enabled: true } });
    const seen = new Set(jobs.map((j) => j.id));
    for (const id of this.cursors.keys()) if (!seen.has(id)) this.cursors.delete(id);
    const timeZone = instanceTimeZone();
    for (const job of jobs) {
      let slot: Date | null;
      try {
        slot = this.dueSlot(job, timeZone, now);
      } catch (err) {
        // One job's schedule that no longer parses must not stop the others.
        this.deps.log.warn({ cronJobId: job.id, err: String(err) }, "cron schedule could not be evaluated");
        continue;
      }
      if (slot !== null) await this.run(job, slot);
    }
  }

  /** The latest slot in (cursor, now], advancing the cursor past it; null when none is due. */
  private dueSlot(job: CronJob, timeZone: string, now: Date): Date | null {
    const cursor = this.cursors.get(job.id);
    if (!cursor || cursor.schedule !== job.schedule) {
      // A new (or edited) job starts from now: nothing missed is made up.
      this.cursors.set(job.id, { schedule: job.schedule, from: now });
      return null;
    }
    let due: Date | null = null;
    for (
      let next = nextRun(job.schedule, timeZone, cursor.from);
      next !== null && next <= now;
      next = nextRun(job.schedule, timeZone, next)
    )
      due = next;
    if (due !== null) cursor.from = due;
    return due;
  }

  private async run(job: CronJob, slot: Date): Promise<void> {
    try {
      const started = await runCronJob(this.deps, job, { slot, actorId: null });
      if (!started) return;
      const finished = started.finished.finally(() => this.running.delete(finished));
      this.running.add(finished);
    } catch (err) {
      this.deps.log.warn({ cronJobId: job.id, err: String(err) }, "cron run could not be claimed");
    }
  }
}
