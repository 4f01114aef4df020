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
}

/**
 * `berth-<serviceName>-<first 8 of serviceId>-<first 8 of deploymentId>`.
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
  return `${CONTAINER_NAME_PREFIX}${parts.serviceName}-${service}-${deployment}`;
}

/** Docker reports names with a leading slash; strip it. */
export function displayName(dockerName: string | undefined): string {
  if (dockerName === undefined) return "";
  return dockerName.startsWith("/") ? dockerName.slice(1) : dockerName;
}
