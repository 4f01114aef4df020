/**
 * Zero-downtime replacement on standalone Docker: the new release starts beside the old on
 * the service's network and must pass its health gate; then the hand-over hook switches
 * traffic (and drains); only then is the old release stopped (SIGTERM, kill after grace)
 * and removed. Before hand-over completes, any failure leaves the old release serving.
 */
import { DEFAULT_GRACE_SECONDS, listManagedContainers, removeContainerForce, stopAndRemove } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage } from "./errors.ts";
import { parseDeploymentLabel } from "./labels.ts";
import { displayName } from "./names.ts";
import { DEFAULT_RETAIN_IMAGES, pruneReleaseImages } from "./release-images.ts";
import type { Handover, ManagedContainer, ReleaseInstance, ReleaseSpec, ReplaceReleaseOptions } from "./port.ts";
import { assertValidGrace } from "./validate.ts";

/** Run the hook; on failure remove the new release (the old one still has the traffic). */
export async function handOver(api: EngineApi, handover: Handover, options: ReplaceReleaseOptions): Promise<void> {
  if (options.onHandover === undefined) return;
  try {
    await options.onHandover(handover);
  } catch (err) {
    const ids = (handover.release.replicas ?? [handover.release]).map((r) => r.containerId);
    const results = await Promise.allSettled(ids.map((id) => removeContainerForce(api, id)));
    const cleanupErrors = results.flatMap((r) => (r.status === "rejected" ? [engineMessage(r.reason)] : []));
    throw new EngineError({
      code: "ENGINE_ERROR",
      operation: "hand over",
      resource: handover.release.containerName,
      message: `hand over ${handover.release.containerName}: the hand-over hook failed, the new release was removed and the old one keeps serving: ${engineMessage(err)}`,
      details: cleanupErrors.length > 0 ? { cleanupErrors } : undefined,
      cause: err,
    });
  }
}

/** Stop and remove every container of the service not of `keepDeploymentId`; returns their names. */
export async function retireOthers(api: EngineApi, serviceId: string, keepDeploymentId: string, graceSeconds: number): Promise<string[]> {
  const others = (await listManagedContainers(api, serviceId)).filter((c) => parseDeploymentLabel(c.Labels) !== keepDeploymentId);
  const results = await Promise.allSettled(others.map((c) => stopAndRemove(api, c.Id, graceSeconds)));
  const failures = results.flatMap((r) => (r.status === "rejected" ? [engineMessage(r.reason)] : []));
  if (failures.length > 0) {
    throw new EngineError({
      code: "ENGINE_ERROR",
      operation: "retire old releases",
      resource: serviceId,
      message: `retire old releases ${serviceId}: ${failures.length} of ${others.length} container(s) could not be removed: ${failures.join("; ")}`,
      details: { failures },
    });
  }
  return others.map((c) => displayName(c.Names[0]));
}

export interface ReplaceDeps {
  runRelease: (spec: ReleaseSpec, options: ReplaceReleaseOptions) => Promise<ReleaseInstance>;
  listPrevious: (serviceId: string, deploymentId: string) => Promise<ManagedContainer[]>;
}

export async function replaceRelease(api: EngineApi, deps: ReplaceDeps, spec: ReleaseSpec, options: ReplaceReleaseOptions = {}): Promise<ReleaseInstance> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  assertValidGrace(graceSeconds, "replace release");
  const release = await deps.runRelease(spec, options);
  const previous = await deps.listPrevious(spec.owner.serviceId, spec.deploymentId);
  await handOver(api, { release, previous }, options);
  await retireOthers(api, spec.owner.serviceId, spec.deploymentId, graceSeconds);
  const warnings = await retainImages(api, spec.owner.serviceId, options.retainImages);
  return warnings.length === 0 ? release : { ...release, warnings };
}

/** Image retention after a switch: never fails the release; problems come back as warnings. */
export async function retainImages(api: EngineApi, serviceId: string, keep: number | false | undefined): Promise<string[]> {
  if (keep === false) return [];
  try {
    const { failures } = await pruneReleaseImages(api, serviceId, keep ?? DEFAULT_RETAIN_IMAGES);
    return failures.map((f) => `could not prune release image ${f}`);
  } catch (err) {
    return [`could not prune release images: ${engineMessage(err)}`];
  }
}
