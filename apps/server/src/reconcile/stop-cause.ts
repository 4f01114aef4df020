/**
 * Why a live release's container stopped, from the engine's record of its last exit, so the
 * reconciler's entries say it: "killed for running out of memory, limit 16 MiB" tells the user
 * what to change; "the live release should run but its container is stopped" alone does not.
 */
import type { ContainerStatus } from "@berth/engine";
import type { Deps } from "../deps.ts";

type StopRecord = Pick<ContainerStatus, "oomKilled" | "exitCode" | "memoryLimitBytes">;

/** In words, or null when the exit says nothing (code 0, or unknown). PURE. */
export function describeStopCause(status: StopRecord): string | null {
  if (status.oomKilled) {
    const limit = status.memoryLimitBytes === null ? "" : `, limit ${Math.round(status.memoryLimitBytes / 1024 ** 2)} MiB`;
    return `killed for running out of memory${limit}`;
  }
  if (status.exitCode !== null && status.exitCode !== 0) return `exit code ${status.exitCode}`;
  return null;
}

/**
 * A SIGKILL (137) under a memory limit without the OOM mark yet: the engine learns of an OOM kill
 * from its own event, which can land just after the exit the reconciler reacts to. PURE.
 */
export function mayBeUnmarkedOom(status: StopRecord): boolean {
  return !status.oomKilled && status.exitCode === 137 && status.memoryLimitBytes !== null;
}

/**
 * Pauses before reading such a container again (about 1.75 s in all): the engine's OOM event
 * may follow its exit (then inspect may never show it, but the watched event stream does).
 */
const OOM_SETTLE_MS = [250, 500, 1000];

type StopCauseDeps = Pick<Deps, "engine" | "engineWatch">;

/** The engine's record, with an OOM kill its event stream reported and its inspect missed. */
async function readStopRecord(deps: StopCauseDeps, containerId: string): Promise<StopRecord | null> {
  const status = await deps.engine.containerStatus(containerId).catch(() => null);
  if (status === null || status.oomKilled || !deps.engineWatch?.oomKilledSinceStart(containerId)) return status;
  return { ...status, oomKilled: true };
}

async function settledStopRecord(
  deps: StopCauseDeps,
  containerId: string,
  pause: (ms: number) => Promise<void>,
): Promise<StopRecord | null> {
  let status = await readStopRecord(deps, containerId);
  for (const ms of OOM_SETTLE_MS) {
    if (status === null || !mayBeUnmarkedOom(status)) break;
    await pause(ms);
    status = (await readStopRecord(deps, containerId)) ?? status;
  }
  return status;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `reason (cause)` with the first cause among the stopped containers; `reason` as is when none is known. */
export async function withStopCause(deps: StopCauseDeps, reason: string, containerIds: string[], pause = sleep): Promise<string> {
  for (const id of containerIds) {
    const status = await settledStopRecord(deps, id, pause);
    const cause = status === null ? null : describeStopCause(status);
    if (cause !== null) return `${reason} (${cause})`;
  }
  return reason;
}
