import type { DeploymentStatus } from "@berth/db";

/** Statuses of a deployment that holds its service's slot (one at a time per service). */
export const ACTIVE_STATUSES = ["cloning", "building", "releasing"] as const satisfies DeploymentStatus[];
/** Statuses after which nothing happens to a deployment any more. */
export const TERMINAL_STATUSES = ["succeeded", "failed", "cancelled", "superseded", "timed_out"] as const satisfies DeploymentStatus[];

export function isActiveStatus(status: DeploymentStatus): boolean {
  return (ACTIVE_STATUSES as readonly string[]).includes(status);
}

export function isTerminalStatus(status: DeploymentStatus): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}
