/**
 * Runs an async task one at a time; a request while it runs makes it run once more right after
 * (any number of such requests coalesce into that one run). A request is never lost to a run
 * already past the point it would have seen: the worker's claim loop (worker.ts) reads which
 * services are busy at its start, so a job that ends while a claim is in flight must cause another.
 */
export class CoalescedRun {
  private current: Promise<void> | null = null;
  private again = false;

  constructor(private readonly task: () => Promise<void>) {}

  /** Run now, or once more after the run in progress; resolves when no run is left to do. */
  request(): Promise<void> {
    if (this.current) {
      this.again = true;
      return this.current;
    }
    this.current = this.loop().finally(() => {
      this.current = null;
    });
    return this.current;
  }

  /** Resolves once the run in progress (and the one it owes) is over. */
  settled(): Promise<void> {
    return this.current ?? Promise.resolve();
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.task();
    } while (this.again);
  }
}
