/**
 * One live status per service, from its desired state, its last deployment, its containers
 * and recent engine events. PURE (unit-tested); `live-service-status.ts` gathers the inputs for
 * every view (overview, project page, service page), so they never disagree.
 */
import type { DeploymentStatus } from "@berth/db";

export type LiveStatus =
  | "running"
  | "deploying"
  | "failed"
  | "timed_out"
  | "stopped"
  | "crash_looping"
  | "restarting"
  | "starting"
  | "exited"
  | "not_deployed"
  | "unknown";

export type AttentionKind = "deploy_failed" | "crash_loop" | "oom_killed" | "exited" | "disk_pressure";

export interface Attention {
  kind: AttentionKind;
  message: string;
}

export interface ContainerView {
  deploymentId: string;
  state: "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";
  restartCount: number;
  oomKilled?: boolean;
}

export interface RecentEvents {
  /** `die` events of the service's containers within the crash-loop window. */
  dies: number;
  /** ISO time of the last OOM kill within the attention window, or null. */
  lastOomAt: string | null;
}

export interface StatusInput {
  desiredState: "running" | "stopped";
  latest: { status: DeploymentStatus; error: string | null } | null;
  liveDeploymentId: string | null;
  /** The service's containers; null when the engine could not be asked. */
  containers: ContainerView[] | null;
  events: RecentEvents;
}

export interface DerivedStatus {
  status: LiveStatus;
  /** The engine's own restart counter of the current container (never Berth's planned removals). */
  restartCount: number;
  attention: Attention[];
  /** A container of the service is up (running or restarting): live metrics, logs and a terminal make sense. */
  containerUp: boolean;
  /** Start can do something: the service has containers and none is up. Otherwise the reason it cannot. */
  startBlocked: string | null;
}

/** Deaths within the window (or restarts of the container) that make a crash loop. */
export const CRASH_LOOP_DIES = 3;
const ACTIVE: readonly DeploymentStatus[] = ["queued", "cloning", "building", "releasing"];
const FAILED: readonly DeploymentStatus[] = ["failed", "timed_out"];

function pickCurrent(containers: ContainerView[], liveDeploymentId: string | null): ContainerView | undefined {
  return containers.find((c) => c.deploymentId === liveDeploymentId) ?? containers.find((c) => c.state === "running") ?? containers[0];
}

function containerStatus(c: ContainerView, input: StatusInput): LiveStatus {
  const looping = input.events.dies >= CRASH_LOOP_DIES || (c.state === "restarting" && c.restartCount >= CRASH_LOOP_DIES);
  if (c.state === "restarting") return looping ? "crash_looping" : "restarting";
  if (c.state === "running") return looping ? "crash_looping" : "running";
  if (c.state === "created") return "starting";
  return input.desiredState === "stopped" ? "stopped" : "exited";
}

export function deriveServiceStatus(input: StatusInput): DerivedStatus {
  const attention: Attention[] = [];
  const latest = input.latest;
  if (latest && FAILED.includes(latest.status)) {
    attention.push({
      kind: "deploy_failed",
      message: `Last deployment ${latest.status === "timed_out" ? "timed out" : "failed"}${latest.error ? `: ${latest.error}` : ""}`,
    });
  }
  if (input.containers === null)
    return { status: "unknown", restartCount: 0, attention, containerUp: false, startBlocked: "The Docker Engine could not be asked" };
  const current = pickCurrent(input.containers, input.liveDeploymentId);
  const restartCount = current?.restartCount ?? 0;
  let status: LiveStatus;
  if (latest && ACTIVE.includes(latest.status)) status = "deploying";
  else if (current) status = containerStatus(current, input);
  else if (input.desiredState === "stopped") status = "stopped";
  else if (latest && FAILED.includes(latest.status)) status = latest.status === "timed_out" ? "timed_out" : "failed";
  else if (input.liveDeploymentId === null) status = "not_deployed";
  else status = "exited";

  if (status === "crash_looping")
    attention.push({ kind: "crash_loop", message: `Crash-looping: restarted ${Math.max(restartCount, input.events.dies)} times recently` });
  if (input.events.lastOomAt !== null || current?.oomKilled)
    attention.push({ kind: "oom_killed", message: "Killed for running out of memory; raise its memory limit" });
  if (status === "exited") attention.push({ kind: "exited", message: "Stopped unexpectedly; it should be running" });
  const containerUp = input.containers.some((c) => c.state === "running" || c.state === "restarting");
  let startBlocked: string | null = null;
  if (containerUp) startBlocked = "It is already running";
  else if (input.containers.length === 0) startBlocked = "There is no release to start yet: deploy it first";
  return { status, restartCount, attention, containerUp, startBlocked };
}
