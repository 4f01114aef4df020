/**
 * The label contract: every Docker object Berth creates carries these labels, and Berth
 * touches only objects that carry `io.berth.managed-by=berth`. Names and values are a
 * compatibility contract with containers already running on hosts: never rename them.
 */
import type { ManagedScope, OwnerRef } from "./port-types.ts";
import { isValidId } from "./validate.ts";

export const LABEL_MANAGED_BY = "io.berth.managed-by";
export const LABEL_TEAM = "io.berth.team";
export const LABEL_PROJECT = "io.berth.project";
export const LABEL_SERVICE = "io.berth.service";
export const LABEL_DEPLOYMENT = "io.berth.deployment";
export const LABEL_REPLICA = "io.berth.replica";
/** Hash of the release spec a container was created from (reconcile detects drift with it). */
export const LABEL_SPEC_HASH = "io.berth.spec-hash";
/** On networks: "project" or "service". On volumes: the volume's name within the project. */
export const LABEL_SCOPE = "io.berth.scope";
export const LABEL_VOLUME = "io.berth.volume";
export const MANAGED_BY_VALUE = "berth";
/**
 * On one-off run containers (the run's id). They carry no deployment label and are never
 * listed as release containers: releases, reconcile and stop/start never touch them.
 */
export const LABEL_ONE_OFF = "io.berth.one-off";

export function isOneOff(labels: Labels | null | undefined): boolean {
  return labels?.[LABEL_ONE_OFF] !== undefined;
}

/** Swarm's label on a task's container (with Berth's labels of the service copied from its spec). */
export const LABEL_SWARM_TASK_ID = "com.docker.swarm.task.id";

/** A Swarm task's container: Swarm's to start, stop and replace, never a release container of this engine. */
export function isSwarmTask(labels: Labels | null | undefined): boolean {
  return labels?.[LABEL_SWARM_TASK_ID] !== undefined;
}

export type Labels = Record<string, string>;

/** The labels of a release container. */
export function buildReleaseLabels(owner: OwnerRef, deploymentId: string): Labels {
  return {
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
    [LABEL_TEAM]: owner.teamId,
    [LABEL_PROJECT]: owner.projectId,
    [LABEL_SERVICE]: owner.serviceId,
    [LABEL_DEPLOYMENT]: deploymentId,
  };
}

/** Labels of a network or volume: owned by a team and project (and a service for service-scoped ones). */
export function buildResourceLabels(owner: { teamId: string; projectId: string; serviceId?: string }, extra: Labels = {}): Labels {
  return {
    ...extra,
    [LABEL_MANAGED_BY]: MANAGED_BY_VALUE,
    [LABEL_TEAM]: owner.teamId,
    [LABEL_PROJECT]: owner.projectId,
    ...(owner.serviceId === undefined ? {} : { [LABEL_SERVICE]: owner.serviceId }),
  };
}

export function isManagedByBerth(labels: Labels | null | undefined): boolean {
  return labels?.[LABEL_MANAGED_BY] === MANAGED_BY_VALUE;
}

/** Read an OwnerRef back from labels; null unless Berth manages the object and every id is well-formed. */
export function parseOwnerLabels(labels: Labels | null | undefined): OwnerRef | null {
  if (!labels || !isManagedByBerth(labels)) return null;
  const teamId = labels[LABEL_TEAM];
  const projectId = labels[LABEL_PROJECT];
  const serviceId = labels[LABEL_SERVICE];
  if (teamId === undefined || projectId === undefined || serviceId === undefined) return null;
  if (![teamId, projectId, serviceId].every(isValidId)) return null;
  return { teamId, projectId, serviceId };
}

/** The deployment id of a managed object, or null. */
export function parseDeploymentLabel(labels: Labels | null | undefined): string | null {
  if (!labels || !isManagedByBerth(labels)) return null;
  const deploymentId = labels[LABEL_DEPLOYMENT];
  return deploymentId !== undefined && isValidId(deploymentId) ? deploymentId : null;
}

/**
 * Docker list filters selecting Berth's containers: all of them, one service's (a string), or
 * those of a scope (service, project and/or team): the engine filters on the labels, so a listing
 * for one team never reads another's containers.
 */
export function managedFilters(scope: string | ManagedScope = {}): { label: string[] } {
  const { serviceId, projectId, teamId } = typeof scope === "string" ? { serviceId: scope } : scope;
  const label = [`${LABEL_MANAGED_BY}=${MANAGED_BY_VALUE}`];
  if (serviceId !== undefined) label.push(`${LABEL_SERVICE}=${serviceId}`);
  if (projectId !== undefined) label.push(`${LABEL_PROJECT}=${projectId}`);
  if (teamId !== undefined) label.push(`${LABEL_TEAM}=${teamId}`);
  return { label };
}
