/**
 * runRelease = prepareRelease (validate, make sure the image, network and volumes are here,
 * clear leftovers of the same deployment) + startRelease (create + start every replica, then
 * hold the health gate; the image tagged for the release meanwhile). Any failure after create
 * removes every new container; cleanup
 * failures are reported in details.cleanupErrors. Nothing of other deployments is touched.
 * The stop-first strategy stops the old release between the two halves.
 */
import { assertSafeBindMounts } from "./bind-sources.ts";
import type { ContainerCreateOptions } from "dockerode";
import { buildContainerSpec, extraPrimaryHostPorts, releaseNetworkName } from "./container-spec.ts";
import { createContainer, inspectContainer, removeContainerForce, startContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError, toEngineError } from "./errors.ts";
import { buildHealthGate, type HealthGate } from "./health-gate.ts";
import { DEFAULT_PULL_TIMEOUT_MS, ensureImage, type EnsuredImage } from "./images.ts";
import { LABEL_DEPLOYMENT, LABEL_SERVICE, managedFilters, parseDeploymentLabel, parseOwnerLabels } from "./labels.ts";
import { tailLogs } from "./logs.ts";
import { tagReleaseImage } from "./release-images.ts";
import { ensureNetwork } from "./networks.ts";
import type { ReleaseInstance, ReleaseSpec, ReplicaInstance, RunReleaseOptions } from "./port-types.ts";
import { waitUntilReady, type Readiness } from "./readiness.ts";
import { assertValidReleaseSpec } from "./validate.ts";
import { ensureVolumes } from "./volumes.ts";
import { settleAll } from "./settle-all.ts";

export const DEFAULT_READY_TIMEOUT_MS = 30_000;
export const FAILURE_LOG_LINES = 50;
const OPERATION = "run release";

interface Created {
  id: string;
  name: string;
  replica: number;
}

/**
 * Clear what a crashed or repeated run of this very deployment left behind. A container
 * holding one of our names for anything else is a CONFLICT, checked before anything is removed.
 */
async function removeLeftovers(api: EngineApi, spec: ReleaseSpec, names: string[]): Promise<void> {
  for (const name of names) {
    const existing = await inspectContainer(api, name);
    if (existing === null) continue;
    const labels = existing.Config?.Labels;
    if (parseOwnerLabels(labels)?.serviceId !== spec.owner.serviceId || parseDeploymentLabel(labels) !== spec.deploymentId) {
      throw new EngineError({
        code: "CONFLICT",
        operation: OPERATION,
        resource: name,
        message: `${OPERATION} ${name}: a container with this name exists and does not belong to deployment ${spec.deploymentId}; it was left untouched`,
      });
    }
  }
  const filters = managedFilters(spec.owner.serviceId);
  filters.label.push(`${LABEL_DEPLOYMENT}=${spec.deploymentId}`);
  const leftovers = await api.call("list containers", spec.owner.serviceId, (abortSignal) =>
    api.docker.listContainers({ all: true, filters, abortSignal }),
  );
  for (const c of leftovers) {
    if (c.Labels[LABEL_SERVICE] === spec.owner.serviceId) await removeContainerForce(api, c.Id);
  }
}

async function removeAll(api: EngineApi, created: Created[]): Promise<string[]> {
  const results = await Promise.allSettled(created.map((c) => removeContainerForce(api, c.id)));
  return results.flatMap((r, i) =>
    r.status === "rejected" ? [`could not remove container ${created[i]?.name}: ${engineMessage(r.reason)}`] : [],
  );
}

/** Collect the failed container's last lines, remove every new container, and describe the failure. */
async function healthCheckFailure(
  api: EngineApi,
  failed: Created,
  readiness: Extract<Readiness, { ready: false }>,
  created: Created[],
): Promise<EngineError> {
  const cleanupErrors: string[] = [];
  let logs: string[] = [];
  try {
    logs = await tailLogs(api, failed.id, FAILURE_LOG_LINES);
  } catch (err) {
    cleanupErrors.push(`could not read logs: ${engineMessage(err)}`);
  }
  cleanupErrors.push(...(await removeAll(api, created)));
  const { reason, hostPort, exitCode, lastProbe } = readiness;
  return new EngineError({
    code: "HEALTHCHECK_FAILED",
    operation: OPERATION,
    resource: failed.name,
    message: `${OPERATION} ${failed.name}: the container ${reason}${lastProbe === undefined ? "" : ` (last probe: ${lastProbe})`}`,
    details: {
      logs,
      containerName: failed.name,
      hostPort,
      ...(exitCode === undefined ? {} : { exitCode }),
      ...(lastProbe === undefined ? {} : { lastProbe }),
      ...(cleanupErrors.length > 0 ? { cleanupErrors } : {}),
    },
  });
}

async function startAndGate(
  api: EngineApi,
  c: Created,
  spec: ReleaseSpec,
  gate: HealthGate,
  options: RunReleaseOptions,
): Promise<Readiness> {
  await startContainer(api, c.id);
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  return waitUntilReady(api, {
    containerId: c.id,
    ...(spec.containerPort === undefined ? {} : { containerPort: spec.containerPort, skipHostPorts: extraPrimaryHostPorts(spec) }),
    timeoutMs,
    gate,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

function cancelledError(resource: string, cleanupErrors: string[]): EngineError {
  const message = `${OPERATION} ${resource}: cancelled; the new container(s) were removed`;
  return new EngineError({
    code: "CANCELLED",
    operation: OPERATION,
    resource,
    message,
    ...(cleanupErrors.length > 0 ? { details: { cleanupErrors } } : {}),
  });
}

type Started = Omit<ReleaseInstance, "imageId" | "repoDigest" | "releaseImage" | "warnings">;

async function createAndGate(
  api: EngineApi,
  spec: ReleaseSpec,
  creates: ContainerCreateOptions[],
  gate: HealthGate,
  options: RunReleaseOptions,
): Promise<Started> {
  const created: Created[] = [];
  try {
    for (const [replica, createOptions] of creates.entries()) {
      const container = await createContainer(api, createOptions);
      created.push({ id: container.id, name: createOptions.name ?? spec.serviceName, replica });
    }
    if (options.signal?.aborted) throw cancelledError(created[0]?.name ?? spec.serviceName, await removeAll(api, created));
    const results = await Promise.all(created.map((c) => startAndGate(api, c, spec, gate, options)));
    if (results.some((r) => !r.ready && r.cancelled))
      throw cancelledError(created[0]?.name ?? spec.serviceName, await removeAll(api, created));
    const replicas: ReplicaInstance[] = [];
    for (const [i, r] of results.entries()) {
      const c = created[i] as Created;
      if (!r.ready) throw await healthCheckFailure(api, c, r, created);
      replicas.push({ containerId: c.id, containerName: c.name, replica: c.replica, hostPort: r.hostPort });
    }
    const first = replicas[0] as ReplicaInstance;
    return {
      containerId: first.containerId,
      containerName: first.containerName,
      deploymentId: spec.deploymentId,
      hostPort: first.hostPort,
      replicas,
    };
  } catch (err) {
    if (isEngineError(err, "HEALTHCHECK_FAILED") || isEngineError(err, "CANCELLED")) throw err; // already cleaned up
    throw withCleanupErrors(toEngineError(err, OPERATION, creates[0]?.name ?? spec.serviceName), await removeAll(api, created));
  }
}

/** The error as it is, or with the containers that could not be removed after it in details.cleanupErrors. */
function withCleanupErrors(base: EngineError, cleanupErrors: string[]): EngineError {
  if (cleanupErrors.length === 0) return base;
  const { code, operation, resource, message, cause } = base;
  return new EngineError({ code, operation, resource, message, cause, details: { ...base.details, cleanupErrors } });
}

/** Everything a release needs before its containers are created. */
export interface PreparedRelease {
  creates: ContainerCreateOptions[];
  gate: HealthGate;
  image: EnsuredImage;
}

/**
 * Validate, make the image present (pulling per options.pull), make sure network and volumes
 * exist, clear leftovers of this deployment. Touches nothing that runs: a failure here leaves
 * the service as it was.
 */
export async function prepareRelease(api: EngineApi, spec: ReleaseSpec, options: RunReleaseOptions = {}): Promise<PreparedRelease> {
  assertValidReleaseSpec(spec, OPERATION);
  await assertSafeBindMounts(api, spec, OPERATION);
  const creates = Array.from({ length: spec.replicas ?? 1 }, (_, replica) => buildContainerSpec(spec, replica));
  // The image and the place it runs in do not depend on each other: made ready side by side
  // (a first deploy in a project creates its network, which takes as long as the rest), and
  // both settled before anything is reported, so nothing of a failed half is still under way.
  const ensure = { timeoutMs: options.pullTimeoutMs ?? DEFAULT_PULL_TIMEOUT_MS, auth: options.registryAuth, pull: options.pull };
  const [image] = await settleAll([ensureImage(api, spec.image, ensure), readyPlace(api, spec, creates)]);
  return { creates, gate: buildHealthGate(spec, image.healthcheck), image };
}

/**
 * The release's network and volumes exist; leftovers of this very deployment are gone. The
 * three do not depend on each other: side by side (a project's first deploy waits for its
 * network's creation anyway), all settled before a failure is reported.
 */
async function readyPlace(api: EngineApi, spec: ReleaseSpec, creates: ContainerCreateOptions[]): Promise<void> {
  const network = releaseNetworkName(spec);
  await settleAll([
    network !== null && spec.network !== undefined
      ? ensureNetwork(api, { name: network, scope: spec.network.scope, owner: spec.owner })
      : Promise.resolve(),
    ensureVolumes(api, spec),
    removeLeftovers(
      api,
      spec,
      creates.map((c) => c.name ?? ""),
    ),
  ]);
}

/**
 * Create, start and gate every replica of a prepared release, and tag its image for the release
 * meanwhile (nothing the containers need: they run the reference; retention and rollbacks keep the
 * tag). Both settled before a failure is reported; a tag that failed removes the new containers.
 */
export async function startRelease(
  api: EngineApi,
  spec: ReleaseSpec,
  prepared: PreparedRelease,
  options: RunReleaseOptions = {},
): Promise<ReleaseInstance> {
  const [gated, tagged] = await Promise.allSettled([
    createAndGate(api, spec, prepared.creates, prepared.gate, options),
    // By the id ensureImage read: a reference another deploy pulls meanwhile may have moved.
    tagReleaseImage(api, prepared.image.imageId, spec.owner.serviceId, spec.deploymentId),
  ]);
  if (gated.status === "rejected") throw gated.reason;
  const started = gated.value;
  if (tagged.status === "rejected") {
    const created = (started.replicas ?? []).map((r) => ({ id: r.containerId, name: r.containerName, replica: r.replica }));
    throw withCleanupErrors(toEngineError(tagged.reason, OPERATION, spec.serviceName), await removeAll(api, created));
  }
  const { imageId, repoDigest, warning } = prepared.image;
  return {
    ...started,
    releaseImage: tagged.value,
    imageId,
    repoDigest,
    ...(warning === undefined ? {} : { warnings: [warning] }),
  };
}

export async function runRelease(api: EngineApi, spec: ReleaseSpec, options: RunReleaseOptions = {}): Promise<ReleaseInstance> {
  return startRelease(api, spec, await prepareRelease(api, spec, options), options);
}
