/**
 * A pinned service's node, watched while its release waits on Swarm: the service's tasks can run
 * on that node only (its volume lives there), so the node going down, away or out of service ends
 * the wait once the manager says so twice in a row, instead of at the start + health deadline (a
 * minute or more of a deployment that cannot succeed). A check the manager did not answer, and
 * a node in state "unknown" (not heard from since the manager started), are no verdict: the next
 * check, and the deadline, still stand.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { pinnedNodeTrouble } from "./pin-service.ts";
import type { Manager } from "./swarm-of.ts";

export const PINNED_NODE_WATCH_MS = 2_000;

export interface PinnedNodeWatch {
  /** Aborted once the node is lost. */
  signal: AbortSignal;
  /** Why the node is lost ("down", "disconnected", "drain", "gone from the cluster"), or null. */
  trouble: () => string | null;
  stop: () => void;
}

export function watchPinnedNode(manager: Manager, nodeId: string, intervalMs = PINNED_NODE_WATCH_MS): PinnedNodeWatch {
  const lost = new AbortController();
  const stopped = new AbortController();
  let verdict: string | null = null;
  void (async () => {
    let seen: string | null = null;
    while (!stopped.signal.aborted) {
      await sleep(intervalMs, undefined, { signal: stopped.signal }).catch(() => undefined);
      if (stopped.signal.aborted) return;
      const now = await pinnedNodeTrouble(manager, nodeId);
      if (now === undefined || now === "unknown") continue;
      if (now !== null && now === seen) {
        verdict = now;
        lost.abort(new Error(`the pinned node is ${now}`));
        return;
      }
      seen = now;
    }
  })();
  return { signal: lost.signal, trouble: () => verdict, stop: () => stopped.abort() };
}
