/**
 * Elects one Berth process on a database for a job that must not run twice (sampling metrics):
 * a row per job holds the holder's name and a deadline it renews every third of the lease. A
 * process that stops releases it; one that dies loses it when the deadline passes.
 */
import { randomUUID } from "node:crypto";
import type { Deps } from "../deps.ts";

export class LeaderLease {
  /** Unique per process, even for two processes with one BERTH_WORKER_NAME. */
  readonly holder: string;
  private timer: NodeJS.Timeout | null = null;
  private holding = false;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: Pick<Deps, "db" | "log">,
    private readonly name: string,
    processName: string,
    private readonly leaseMs = 15_000,
  ) {
    this.holder = `${processName}#${randomUUID().slice(0, 8)}`;
  }

  /** Whether this process held the lease at its last renewal. */
  get held(): boolean {
    return this.holding;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
    void this.renew();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.renewing;
    this.holding = false;
    // Released at once: another process takes over at its next renewal, not after the deadline.
    await this.deps.db.leaderLease.deleteMany({ where: { name: this.name, holder: this.holder } }).catch(() => undefined);
  }

  /** Takes the lease if it is free or lapsed, renews it if it is ours; resolves to whether it is ours. */
  renew(): Promise<void> {
    this.renewing = this.renewing.then(async () => {
      try {
        // The database's clock on both sides of the comparison: processes on several hosts may disagree.
        const rows = await this.deps.db.$queryRaw<{ holder: string }[]>`
          INSERT INTO leader_lease (name, holder, "until") VALUES (${this.name}, ${this.holder}, now() + ${this.leaseMs}::int * interval '1 millisecond')
          ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, "until" = EXCLUDED."until"
            WHERE leader_lease.holder = EXCLUDED.holder OR leader_lease."until" < now()
          RETURNING holder`;
        const now = rows.length > 0;
        if (now !== this.holding) this.deps.log.info({ job: this.name, holder: this.holder }, now ? "took the lead" : "lost the lead");
        this.holding = now;
      } catch (err) {
        // Unknown: better to pause the job than to run it twice.
        this.holding = false;
        this.deps.log.warn({ job: this.name, err: String(err) }, "leader lease not renewed");
      }
    });
    return this.renewing;
  }
}
