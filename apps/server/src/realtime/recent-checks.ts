/**
 * Re-authorization results shared by the sockets of one process for a short while. Every socket
 * re-checks its session and rooms every 2 s; 200 tabs of one user following one service made
 * that 200 session lookups and 200 service loads every 2 s (the largest cost left in the
 * control plane's loop while their logs streamed). A check with the same key (same session
 * cookie, same user and service) started less than `ttlMs` ago is answered by that check, so a
 * revocation is still seen within the interval plus `ttlMs`. Failures are not kept.
 */
export class RecentChecks {
  private readonly recent = new Map<string, { at: number; result: Promise<unknown> }>();

  constructor(private readonly ttlMs: number) {}

  run<T>(key: string, check: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = this.recent.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.result as Promise<T>;
    if (this.recent.size > 10_000) this.prune(now);
    const result = check();
    this.recent.set(key, { at: now, result });
    result.catch(() => {
      if (this.recent.get(key)?.result === result) this.recent.delete(key);
    });
    return result;
  }

  private prune(now: number): void {
    for (const [key, entry] of this.recent) if (now - entry.at >= this.ttlMs) this.recent.delete(key);
  }
}
