/**
 * ensureService: converge one service to exactly one current release, from whatever a
 * crash left behind (a created-but-not-started container, a half-set of replicas, an old
 * release still running beside a healthy new one, stray releases). Idempotent: a release
 * already running from exactly this spec (same spec-hash label) that passes its gate is
 * kept as is; anything else of this deployment is replaced; every other release is retired
 * after the hand-over.
 */
import { DEFAULT_GRACE_SECONDS, inspectContainer, listManagedContainers } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { orNullIfMissing } from "./errors.ts";
import { buildHealthGate } from "./health-gate.ts";
import { buildContainerUpdate, extraPrimaryHostPorts } from "./container-spec.ts";
import { repoDigestFor } from "./image-ref.ts";
import { imageHealthcheck, inspectImage } from "./images.ts";
import { limitsDrift } from "./limits-drift.ts";
import { LABEL_REPLICA, LABEL_SPEC_HASH, parseDeploymentLabel } from "./labels.ts";
import { listPrevious } from "./managed-list.ts";
import { displayName } from "./names.ts";
import type { EnsureServiceResult, ReleaseInstance, ReleaseSpec, ReplicaInstance, ReplaceReleaseOptions } from "./port-types.ts";
import { waitUntilReady } from "./readiness.ts";
import { releaseByStrategy, retireOthers } from "./replace-release.ts";
import { tagReleaseImage } from "./release-images.ts";
import { DEFAULT_READY_TIMEOUT_MS } from "./run-release.ts";
import { specHash } from "./spec-hash.ts";
import { assertValidGrace, assertValidReleaseSpec } from "./validate.ts";

const OPERATION = "ensure service";

async function gateOf(api: EngineApi, spec: ReleaseSpec) {
  // Image gone: null, and runRelease pulls it again.
  return orNullIfMissing(imageHealthcheck(api, spec.image).then((healthcheck) => buildHealthGate(spec, healthcheck)));
}

/** Give a running container the spec's limits and restart policy in place. */
async function updateInPlace(api: EngineApi, id: string, spec: ReleaseSpec): Promise<void> {
  await api.call("update container", id, (abortSignal) =>
    api.dial({
      path: `/containers/${id}/update?`,
      method: "POST",
      options: { _query: {}, _body: buildContainerUpdate(spec) },
      abortSignal,
      statusCodes: { 200: true, 400: "bad parameter", 404: "no such container", 500: "server error" },
    }),
  );
}

interface Adopted {
  release: ReleaseInstance;
  /** Limits or restart policy were changed in place. */
  updated: boolean;
}

/**
 * The desired release as it runs now, if it is complete, made from this exact spec (apart
 * from what can change in place), and healthy; its limits and restart policy are brought
 * up to date in place.
 */
export async function adoptCurrent(api: EngineApi, spec: ReleaseSpec, timeoutMs: number): Promise<Adopted | null> {
  const wanted = spec.replicas ?? 1;
  const hash = specHash(spec);
  const mine = (await listManagedContainers(api, spec.owner.serviceId)).filter((c) => parseDeploymentLabel(c.Labels) === spec.deploymentId);
  if (mine.length !== wanted) return null;
  const byReplica = new Map(mine.map((c) => [c.Labels[LABEL_REPLICA], c]));
  const gate = await gateOf(api, spec);
  if (gate === null) return null;
  const replicas: ReplicaInstance[] = [];
  const toUpdate: string[] = [];
  let imageId = "";
  const desiredLimits = buildContainerUpdate(spec);
  for (let replica = 0; replica < wanted; replica++) {
    const c = byReplica.get(String(replica));
    if (c === undefined || c.State !== "running" || c.Labels[LABEL_SPEC_HASH] !== hash) return null;
    const info = await inspectContainer(api, c.Id);
    if (info === null) return null;
    const drift = limitsDrift(info.HostConfig, desiredLimits);
    if (drift === "recreate") return null;
    if (drift === "update") toUpdate.push(c.Id);
    imageId = info.Image;
    const readiness = await waitUntilReady(api, {
      containerId: c.Id,
      ...(spec.containerPort === undefined ? {} : { containerPort: spec.containerPort, skipHostPorts: extraPrimaryHostPorts(spec) }),
      timeoutMs,
      gate,
    });
    if (!readiness.ready) return null;
    replicas.push({ containerId: c.Id, containerName: displayName(info.Name), replica, hostPort: readiness.hostPort });
  }
  for (const id of toUpdate) await updateInPlace(api, id, spec);
  const first = replicas[0] as ReplicaInstance;
  // Re-tag: a crash may have come between the container's creation and the tag (idempotent).
  const releaseImage = await tagReleaseImage(api, spec.image, spec.owner.serviceId, spec.deploymentId);
  const image = await inspectImage(api, imageId);
  const release: ReleaseInstance = {
    containerId: first.containerId,
    containerName: first.containerName,
    deploymentId: spec.deploymentId,
    hostPort: first.hostPort,
    replicas,
    releaseImage,
    imageId,
    repoDigest: repoDigestFor(spec.image, image?.RepoDigests),
  };
  return { release, updated: toUpdate.length > 0 };
}

export async function ensureService(api: EngineApi, spec: ReleaseSpec, options: ReplaceReleaseOptions = {}): Promise<EnsureServiceResult> {
  assertValidReleaseSpec(spec, OPERATION);
  const graceSeconds = options.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  assertValidGrace(graceSeconds, OPERATION);
  const timeoutMs = options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  const adopted = await adoptCurrent(api, spec, timeoutMs);
  const current = adopted?.release ?? null;
  let release: ReleaseInstance;
  if (current === null) {
    // A new release by the service's strategy (stop-first: the old one never runs beside it).
    release = (await releaseByStrategy(api, spec, options, graceSeconds)).release;
  } else {
    // Hand over even when nothing changed: a crash may have come between health and switch.
    // An adopted release was serving before this call, so a failing hook must not remove it.
    release = current;
    await options.onHandover?.({ release, previous: await listPrevious(api, spec.owner.serviceId, spec.deploymentId) });
  }
  const removed = await retireOthers(api, spec.owner.serviceId, spec.deploymentId, graceSeconds);
  const changed = current === null || adopted?.updated === true;
  return { release, changed, removed };
}
