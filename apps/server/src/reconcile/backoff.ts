/**
 * How often the reconciler may act on one service. PURE (unit-tested). The first repair is
 * immediate; a service found broken again soon after a repair waits longer each time
 * (exponential, capped), so a crash-looping container is reported, never restarted in a tight
 * loop. A service seen running for `stableMs` after the last repair starts from zero again.
 */
export interface BackoffPolicy {
  /** Wait after the first repair before another one (doubles with every repair in a row). */
  baseMs: number;
  capMs: number;
  /** Running this long after a repair ends the streak. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 10_000, capMs: 10 * 60_000, stableMs: 60_000 };

/** Repairs in a row from which the service is reported as crash-looping. */
export const CRASH_LOOP_REPAIRS = 3;

export interface BackoffState {
  /** Repairs in a row (the last one included). */
  repairs: number;
  lastRepairAt: number;
  /** No repair before this time. */
  nextAttemptAt: number;
}

export function backoffDelayMs(repairs: number, policy: BackoffPolicy): number {
  if (repairs <= 0) return 0;
  return Math.min(policy.capMs, policy.baseMs * 2 ** (repairs - 1));
}

/** May the reconciler repair the service now? */
export function mayRepair(state: BackoffState | undefined, now: number): boolean {
  return state === undefined || now >= state.nextAttemptAt;
}

/** The state after a repair at `now`: one more in a row, unless the last one held for `stableMs`. */
export function afterRepair(state: BackoffState | undefined, now: number, policy: BackoffPolicy): BackoffState {
  const inARow = state !== undefined && now - state.lastRepairAt < policy.stableMs + backoffDelayMs(state.repairs, policy);
  const repairs = inARow ? state.repairs + 1 : 1;
  return { repairs, lastRepairAt: now, nextAttemptAt: now + backoffDelayMs(repairs, policy) };
}

/** The state once the service is seen running: forgotten when it ran `stableMs` since the last repair. */
export function afterHealthy(state: BackoffState | undefined, now: number, policy: BackoffPolicy): BackoffState | undefined {
  if (state === undefined || now - state.lastRepairAt >= policy.stableMs) return undefined;
  return state;
}
