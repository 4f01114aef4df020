import type { Deps } from "../deps.ts";

/**
 * A fixed-window limit kept in Postgres (`rate_window`), so two Berth processes on one database
 * share one budget instead of granting one each. A hit is one atomic upsert: the window restarts
 * when it has ended, else its count goes up.
 */
export class WindowLimiter {
  constructor(private readonly opts: { name: string; max: number; windowMs: number; now?: () => number }) {}

  private key(key: string): string {
    return `${this.opts.name}:${key}`;
  }

  /** Counts an attempt; false when it is over the budget of the current window. */
  async hit(db: Deps["db"], key: string): Promise<boolean> {
    const now = new Date(this.opts.now?.() ?? Date.now());
    const ended = new Date(now.getTime() - this.opts.windowMs);
    const rows = await db.$queryRaw<{ count: number }[]>`
      INSERT INTO rate_window (key, count, "startedAt") VALUES (${this.key(key)}, 1, ${now})
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_window."startedAt" <= ${ended} THEN 1 ELSE rate_window.count + 1 END,
        "startedAt" = CASE WHEN rate_window."startedAt" <= ${ended} THEN ${now} ELSE rate_window."startedAt" END
      RETURNING count`;
    // Windows of keys never seen again are dropped now and then (about one hit in 500).
    if (Math.random() < 0.002) await db.rateWindow.deleteMany({ where: { startedAt: { lt: new Date(now.getTime() - 86_400_000) } } });
    return (rows[0]?.count ?? 1) <= this.opts.max;
  }

  /** Whether `key` has used up the current window, without counting an attempt. */
  async isBlocked(db: Deps["db"], key: string): Promise<boolean> {
    const now = this.opts.now?.() ?? Date.now();
    const row = await db.rateWindow.findUnique({ where: { key: this.key(key) } });
    return row !== null && row.startedAt.getTime() > now - this.opts.windowMs && row.count >= this.opts.max;
  }
}
