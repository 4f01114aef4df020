/**
 * A fixed-window counter per key (client address, account email), in memory: Berth is one
 * process. `hit` counts an attempt and says whether it is within the limit.
 */
export class FixedWindowLimiter {
  private readonly windows = new Map<string, { count: number; resetAt: number }>();

  constructor(private readonly opts: { max: number; windowMs: number; now?: () => number }) {}

  hit(key: string): boolean {
    const now = this.opts.now?.() ?? Date.now();
    const current = this.windows.get(key);
    if (!current || current.resetAt <= now) {
      if (this.windows.size > 10_000) this.prune(now);
      this.windows.set(key, { count: 1, resetAt: now + this.opts.windowMs });
      return true;
    }
    current.count += 1;
    return current.count <= this.opts.max;
  }

  /** Whether `key` has used up its window, without counting an attempt. */
  isBlocked(key: string): boolean {
    const now = this.opts.now?.() ?? Date.now();
    const current = this.windows.get(key);
    return current !== undefined && current.resetAt > now && current.count >= this.opts.max;
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}
