/**
 * Replacing a service's release on standalone Docker. start-first (default, zero downtime):
 * the new release starts beside the old on the service's network and must pass its health
 * gate; then the hand-over hook switches traffic (and drains); only then is the old release
 * stopped (SIGTERM, kill after grace) and removed. Before hand-over completes, any failure
 * leaves the old release serving. stop-first: see stop-first.ts.
 */
import { DEFAULT_GRACE_SECONDS, listManagedContainers, stopAndRemove } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage } from "./errors.ts";
import { handOver } from "./hand-over.ts";
import { parseDeploymentLabel } from "./labels.ts";
import { listPrevious } from "./managed-list.ts";
import { displayName } from "./names.ts";
import { DEFAULT_RETAIN_IMAGES, pruneReleaseImages } from "./release-images.ts";
import type { Handover, ReleaseInstance, ReleaseSpec, ReplaceReleaseOptions } from "./port-types.ts";
import { runRelease } from "./run-release.ts";
import { stopFirstRelease } from "./stop-first.ts";
import { assertValidGrace } from "./validate.ts";

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

/** Start-first: new beside old, gated, handed over. */
async function startFirstRelease(api: EngineApi, spec: ReleaseSpec, options: ReplaceReleaseOptions): Promise<Handover> {
  const release = await runRelease(api, spec, options);
  const handover = { release, previous: await listPrevious(api, spec.owner.serviceId, spec.deploymentId) };
  await handOver(api, handover, options);
  return handover;
}

/** A new release of the service per options.strategy, handed over; the old one is then retired. */
export function releaseByStrategy(
  api: EngineApi,
  spec: ReleaseSpec,
  options: ReplaceReleaseOptions,
  graceSeconds: number,
): Promise<Handover> {
  const strategy = options.strategy ?? "start-first";
  if (strategy !== "start-first" && strategy !== "stop-first") {
    throw new EngineError({
      code: "INVALID",
      operation: "replace release",
      resource: spec.serviceName,
      message: `replace release ${spec.serviceName}: strategy must be start-first or stop-first`,
    });
  }
  return strategy === "stop-first" ? stopFirstRelease(api, spec, options, graceSeconds) : startFirstRelease(api, spec, options);
}

export async function replaceRelease(api: EngineApi, spec: ReleaseSpec, options: ReplaceReleaseOptions = {}): Promise<ReleaseInstance> {
  const graceSeconds = options.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  assertValidGrace(graceSeconds, "replace release");
  const { release } = await releaseByStrategy(api, spec, options, graceSeconds);
  if (options.retireOthers === false) return release;
  await retireOthers(api, spec.owner.serviceId, spec.deploymentId, graceSeconds);
  return withWarnings(release, await retainImages(api, spec.owner.serviceId, options.retainImages));
}

/** The release with more warnings appended (none: the release unchanged). */
export function withWarnings(release: ReleaseInstance, warnings: string[]): ReleaseInstance {
  if (warnings.length === 0) return release;
  return { ...release, warnings: [...(release.warnings ?? []), ...warnings] };
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
