/**
 * runRelease: validate, make sure the image is here, replace a leftover container of the
 * same deployment, create + start, then hold the health gate. Any failure after create
 * removes the new container; cleanup failures are reported in details.cleanupErrors.
 */
import { buildContainerSpec } from "./container-spec.ts";
import { createContainer, inspectContainer, removeContainerForce, startContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError, toEngineError } from "./errors.ts";
import { DEFAULT_PULL_TIMEOUT_MS, ensureImage } from "./images.ts";
import { parseDeploymentLabel, parseOwnerLabels } from "./labels.ts";
import { tailLogs } from "./logs.ts";
import type { ReleaseInstance, ReleaseSpec, RunReleaseOptions } from "./port.ts";
import { waitUntilReady } from "./readiness.ts";
import { assertValidReleaseSpec } from "./validate.ts";

export const DEFAULT_READY_TIMEOUT_MS = 30_000;
export const FAILURE_LOG_LINES = 50;
const OPERATION = "run release";

/** A container already holding the deterministic name: replace it only if it is this very deployment's. */
async function removeLeftover(api: EngineApi, name: string, spec: ReleaseSpec): Promise<void> {
  const existing = await inspectContainer(api, name);
  if (existing === null) return;
  const labels = existing.Config?.Labels;
  const owner = parseOwnerLabels(labels);
  if (owner?.serviceId !== spec.owner.serviceId || parseDeploymentLabel(labels) !== spec.deploymentId) {
    throw new EngineError({
      code: "CONFLICT",
      operation: OPERATION,
      resource: name,
      message: `${OPERATION} ${name}: a container with this name exists and does not belong to deployment ${spec.deploymentId}; it was left untouched`,
    });
  }
  await removeContainerForce(api, existing.Id);
}

/** Collect the failed container's last lines, remove it, and describe the failure. */
async function healthCheckFailure(api: EngineApi, id: string, name: string, reason: string, extra: Record<string, unknown>): Promise<EngineError> {
  const cleanupErrors: string[] = [];
  let logs: string[] = [];
  try {
    logs = await tailLogs(api, id, FAILURE_LOG_LINES);
  } catch (err) {
    cleanupErrors.push(`could not read logs: ${engineMessage(err)}`);
  }
  try {
    await removeContainerForce(api, id);
  } catch (err) {
    cleanupErrors.push(`could not remove container: ${engineMessage(err)}`);
  }
  return new EngineError({
    code: "HEALTHCHECK_FAILED",
    operation: OPERATION,
    resource: name,
    message: `${OPERATION} ${name}: the container ${reason}`,
    details: { logs, containerName: name, ...extra, ...(cleanupErrors.length > 0 ? { cleanupErrors } : {}) },
  });
}

async function startAndGate(api: EngineApi, id: string, name: string, spec: ReleaseSpec, options: RunReleaseOptions): Promise<ReleaseInstance> {
  await startContainer(api, id);
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const readiness = await waitUntilReady(api, { containerId: id, containerPort: spec.containerPort, timeoutMs });
  if (readiness.ready) {
    return { containerId: id, containerName: name, deploymentId: spec.deploymentId, hostPort: readiness.hostPort };
  }
  const extra = { hostPort: readiness.hostPort, ...(readiness.exitCode === undefined ? {} : { exitCode: readiness.exitCode }) };
  throw await healthCheckFailure(api, id, name, readiness.reason, extra);
}

export async function runRelease(api: EngineApi, spec: ReleaseSpec, options: RunReleaseOptions = {}): Promise<ReleaseInstance> {
  assertValidReleaseSpec(spec, OPERATION);
  const createOptions = buildContainerSpec(spec);
  const name = createOptions.name ?? spec.serviceName;
  await ensureImage(api, spec.image, options.pullTimeoutMs ?? DEFAULT_PULL_TIMEOUT_MS);
  await removeLeftover(api, name, spec);
  const container = await createContainer(api, createOptions);
  try {
    return await startAndGate(api, container.id, name, spec, options);
  } catch (err) {
    if (isEngineError(err, "HEALTHCHECK_FAILED")) throw err; // already cleaned up
    const cleanupErrors: string[] = [];
    try {
      await removeContainerForce(api, container.id);
    } catch (cleanupErr) {
      cleanupErrors.push(`could not remove container: ${engineMessage(cleanupErr)}`);
    }
    const base = toEngineError(err, OPERATION, name);
    if (cleanupErrors.length === 0) throw base;
    const { code, operation, resource, message, cause } = base;
    throw new EngineError({ code, operation, resource, message, cause, details: { ...base.details, cleanupErrors } });
  }
}
