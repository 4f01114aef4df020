/**
 * Deterministic Docker object names. The name is a convenience (readable in `docker ps`,
 * idempotent re-runs); ownership is always proven by labels, never by name.
 */
import { EngineError } from "./errors.ts";
import { assertValidId, isValidServiceName } from "./validate.ts";

export const CONTAINER_NAME_PREFIX = "berth-";
const ID_PREFIX_LENGTH = 8;

export interface ContainerNameParts {
  serviceName: string;
  serviceId: string;
  deploymentId: string;
  /** Replica index; 0 (the default) keeps the historical name without a suffix. */
  replica?: number;
}

/**
 * `berth-<serviceName>-<first 8 of serviceId>-<first 8 of deploymentId>[-r<replica>]`.
 * Throws EngineError INVALID on a malformed part (before any engine call).
 */
export function buildContainerName(parts: ContainerNameParts, operation = "name container"): string {
  if (!isValidServiceName(parts.serviceName)) {
    throw new EngineError({
      code: "INVALID",
      operation,
      resource: String(parts.serviceName),
      message: `invalid service name ${JSON.stringify(parts.serviceName)}: expected a DNS label`,
    });
  }
  assertValidId(parts.serviceId, "service id", operation);
  assertValidId(parts.deploymentId, "deployment id", operation);
  const service = parts.serviceId.slice(0, ID_PREFIX_LENGTH);
  const deployment = parts.deploymentId.slice(0, ID_PREFIX_LENGTH);
  const suffix = parts.replica === undefined || parts.replica === 0 ? "" : `-r${parts.replica}`;
  return `${CONTAINER_NAME_PREFIX}${parts.serviceName}-${service}-${deployment}${suffix}`;
}

/** The user network of a project (`berth-p-<projectId>`) or of one service (`berth-s-<serviceId>`). */
export function buildNetworkName(scope: "project" | "service", id: string): string {
  assertValidId(id, scope === "project" ? "project id" : "service id", "name network");
  return `${CONTAINER_NAME_PREFIX}${scope === "project" ? "p" : "s"}-${id}`;
}

/** The Docker volume behind a project's named volume: `berth-<projectId>-<name>`. */
export function buildVolumeName(projectId: string, name: string): string {
  assertValidId(projectId, "project id", "name volume");
  return `${CONTAINER_NAME_PREFIX}${projectId}-${name}`;
}

/** Docker reports names with a leading slash; strip it. */
export function displayName(dockerName: string | undefined): string {
  if (dockerName === undefined) return "";
  return dockerName.startsWith("/") ? dockerName.slice(1) : dockerName;
}
