/**
 * Desired state (Postgres) and observed state (the engine) -> what the reconciler does. PURE
 * (unit-tested). It never fights the user or the deployment queue:
 * - a service the user stopped is never started (and its live release never removed);
 * - a service with a deployment in progress is left to the worker;
 * - only containers of teams this instance knows are touched (another Berth on the same
 *   engine keeps its own), volumes never;
 * - a repair waits for the service's back-off (backoff.ts): a crash loop is reported, not fed.
 */
import type { ContainerState } from "@berth/engine";
import { type BackoffState, mayRepair } from "./backoff.ts";

export interface ObservedContainer {
  containerId: string;
  containerName: string;
  teamId: string;
  serviceId: string;
  deploymentId: string;
  state: ContainerState;
}

export interface DesiredService {
  id: string;
  name: string;
  teamId: string;
  projectId: string;
  desiredState: "running" | "stopped";
  /** A deployment of the service is being cloned, built or released. */
  deploying: boolean;
  /** The live release (latest succeeded deployment); null when it has none. */
  live: { deploymentId: string; replicas: number; /** A configuration snapshot to recreate it from exists. */ recreatable: boolean } | null;
}

export interface Observation {
  services: DesiredService[];
  containers: ObservedContainer[];
  /** Teams of this instance among the containers' owners. */
  knownTeams: Set<string>;
}

export type Action =
  | { kind: "start"; serviceId: string; deploymentId: string; containerIds: string[]; reason: string }
  | { kind: "recreate"; serviceId: string; deploymentId: string; reason: string }
  | {
      kind: "remove";
      serviceId: string;
      teamId: string;
      deploymentId: string;
      containerId: string;
      containerName: string;
      reason: string;
      serviceExists: boolean;
    }
  /** The project's network must exist while one of its services should run (made again when someone removed it). */
  | { kind: "network"; serviceId: string; teamId: string; projectId: string; reason: string }
  /** Broken, but nothing may be done now: backing off, or nothing to recreate it from. `containerIds`: its stopped containers. */
  | { kind: "wait"; serviceId: string; reason: string; until: number | null; containerIds: string[] };

const STOPPED: readonly ContainerState[] = ["exited", "dead", "created"];

function describeCount(n: number, of: number): string {
  return n === of ? (of === 1 ? "its container is" : `all ${of} containers are`) : `${n} of ${of} containers are`;
}

/** What to do for one service that should run, from its live release's containers. */
function repairOf(service: DesiredService, mine: ObservedContainer[], backoff: BackoffState | undefined, now: number): Action | null {
  const live = service.live;
  if (live === null) return null;
  const missing = live.replicas - mine.length;
  const stopped = mine.filter((c) => STOPPED.includes(c.state));
  // `restarting` is the engine's own restart policy at work; `removing`/`paused` are someone's doing.
  if (missing <= 0 && stopped.length === 0) return null;
  const reason =
    missing > 0
      ? `The live release should run but ${describeCount(missing, live.replicas)} missing`
      : `The live release should run but ${describeCount(stopped.length, live.replicas)} stopped`;
  const containerIds = stopped.map((c) => c.containerId);
  if (!mayRepair(backoff, now)) return { kind: "wait", serviceId: service.id, reason, until: backoff?.nextAttemptAt ?? null, containerIds };
  if (missing > 0) {
    if (!live.recreatable)
      return {
        kind: "wait",
        serviceId: service.id,
        reason: `${reason}, and the release has no configuration snapshot to recreate it from`,
        until: null,
        containerIds,
      };
    return { kind: "recreate", serviceId: service.id, deploymentId: live.deploymentId, reason };
  }
  return { kind: "start", serviceId: service.id, deploymentId: live.deploymentId, containerIds, reason };
}

export function planReconcile(observation: Observation, backoffs: ReadonlyMap<string, BackoffState>, now: number): Action[] {
  const byService = new Map<string, ObservedContainer[]>();
  for (const c of observation.containers) byService.set(c.serviceId, [...(byService.get(c.serviceId) ?? []), c]);
  const services = new Map(observation.services.map((s) => [s.id, s]));
  const actions: Action[] = [];
  // Containers of a deleted service (its team still here): nothing owns them.
  for (const [serviceId, containers] of byService) {
    if (services.has(serviceId)) continue;
    for (const c of containers.filter((c) => observation.knownTeams.has(c.teamId))) {
      actions.push({
        kind: "remove",
        serviceId,
        teamId: c.teamId,
        deploymentId: c.deploymentId,
        containerId: c.containerId,
        containerName: c.containerName,
        reason: "Its service no longer exists",
        serviceExists: false,
      });
    }
  }
  const projects = new Set<string>();
  // A deployment makes its network itself: two makers at once could leave two same-named networks.
  for (const service of servicesThatShouldRun(observation).filter((s) => !s.deploying)) {
    if (projects.has(service.projectId)) continue;
    projects.add(service.projectId);
    actions.push({
      kind: "network",
      serviceId: service.id,
      teamId: service.teamId,
      projectId: service.projectId,
      reason: "The project's network was missing and a service of the project should run",
    });
  }
  for (const service of observation.services) {
    if (service.deploying) continue;
    const containers = byService.get(service.id) ?? [];
    const liveId = service.live?.deploymentId ?? null;
    for (const c of containers.filter((c) => c.deploymentId !== liveId)) {
      actions.push({
        kind: "remove",
        serviceId: service.id,
        teamId: service.teamId,
        deploymentId: c.deploymentId,
        containerId: c.containerId,
        containerName: c.containerName,
        reason: "It belongs to no live release",
        serviceExists: true,
      });
    }
    if (service.desiredState !== "running") continue;
    const repair = repairOf(
      service,
      containers.filter((c) => c.deploymentId === liveId),
      backoffs.get(service.id),
      now,
    );
    if (repair) actions.push(repair);
  }
  return actions;
}

/**
 * Should the service run and does it not? Desired running, a live release, no deployment in
 * progress, and no container of the live release running. PURE: the one answer /healthz, the
 * overview and the reconciler share.
 */
export function isDown(
  service: { desiredState: "running" | "stopped"; deploying: boolean; liveDeploymentId: string | null },
  containers: ReadonlyArray<{ deploymentId: string; state: ContainerState }>,
): boolean {
  if (service.desiredState !== "running" || service.liveDeploymentId === null || service.deploying) return false;
  return !containers.some((c) => c.deploymentId === service.liveDeploymentId && c.state === "running");
}

/** Services that should run and do not (isDown). PURE. */
export function servicesDown(observation: Observation): DesiredService[] {
  const byService = new Map<string, ObservedContainer[]>();
  for (const c of observation.containers) byService.set(c.serviceId, [...(byService.get(c.serviceId) ?? []), c]);
  return observation.services.filter((s) => isDown({ ...s, liveDeploymentId: s.live?.deploymentId ?? null }, byService.get(s.id) ?? []));
}

/** Services that should run (desired running with a live release). PURE. */
export function servicesThatShouldRun(observation: Observation): DesiredService[] {
  return observation.services.filter((s) => s.desiredState === "running" && s.live !== null);
}
