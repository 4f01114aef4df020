/**
 * The swarm's control plane in one word, from what the periodic check saw. PURE.
 * - ok: a manager answered the node list.
 * - no-quorum: a manager answers, but the swarm has no leader (fewer than half of its managers
 *   are up): tasks keep running where they are, but nothing can be deployed, scaled or changed.
 * - unreachable: no manager answers at all.
 */
export type ControlState = "ok" | "no-quorum" | "unreachable";

export interface ControlCheck {
  state: ControlState;
  /** Why it is not ok, in words for the instance owner (null when ok). */
  error: string | null;
}

// Docker's own words (swarmkit's ErrNoLeader / "rpc error: ... The swarm does not have a leader").
const NO_LEADER = /does not have a leader|too few managers are online|no leader/i;

/** A failed node list through a manager that answered /info. */
export function controlCheckOfListFailure(message: string, managerCount: number): ControlCheck {
  if (!NO_LEADER.test(message)) return { state: "unreachable", error: `The manager answered, but listing the nodes failed: ${message}` };
  const needed = Math.floor(managerCount / 2) + 1;
  return {
    state: "no-quorum",
    error:
      `The swarm has lost its quorum: it needs ${needed} of its ${managerCount} managers online and has fewer. ` +
      "Services keep running where they are, but nothing can be deployed, scaled or changed until enough managers are back " +
      "(or, as a last resort, run `docker swarm init --force-new-cluster` on a remaining manager).",
  };
}
