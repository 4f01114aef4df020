/**
 * Why a live release's container stopped, from the engine's record of its last exit, so the
 * reconciler's entries say it: "killed for running out of memory, limit 16 MiB" tells the user
 * what to change; "the live release should run but its container is stopped" alone does not.
 */
import type { ContainerStatus } from "@berth/engine";
import type { Deps } from "../deps.ts";

/** In words, or null when the exit says nothing (code 0, or unknown). PURE. */
export function describeStopCause(status: Pick<ContainerStatus, "oomKilled" | "exitCode" | "memoryLimitBytes">): string | null {
  if (status.oomKilled) {
    const limit = status.memoryLimitBytes === null ? "" : `, limit ${Math.round(status.memoryLimitBytes / 1024 ** 2)} MiB`;
    return `killed for running out of memory${limit}`;
  }
  if (status.exitCode !== null && status.exitCode !== 0) return `exit code ${status.exitCode}`;
  return null;
}

/** `reason (cause)` with the first cause among the stopped containers; `reason` as is when none is known. */
export async function withStopCause(deps: Pick<Deps, "engine">, reason: string, containerIds: string[]): Promise<string> {
  for (const id of containerIds) {
    const cause = await deps.engine.containerStatus(id).then(describeStopCause, () => null);
    if (cause !== null) return `${reason} (${cause})`;
  }
  return reason;
}
