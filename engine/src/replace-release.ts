/**
 * Replacing a service's release on standalone Docker. start-first (default, zero downtime):
 * the new release starts beside the old on the service's network and must pass its health
 * gate; then the hand-over hook switches traffic (and drains). Before hand-over completes, any
 * failure leaves the old release serving. stop-first: see stop-first.ts. Either way the old
 * release's containers are left to the caller's `retireOthers` (stopped: SIGTERM, kill after
 * grace; removed), so the caller can record the new release as live before the old one's
 * shutdown; image retention is the caller's too (`pruneImages`).
 */
import { DEFAULT_GRACE_SECONDS, listManagedContainers, stopAndRemove } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage } from "./errors.ts";
import { handOver } from "./hand-over.ts";
import { parseDeploymentLabel } from "./labels.ts";
import { listPrevious } from "./managed-list.ts";
import { displayName } from "./names.ts";
import type { Handover, ReleaseInstance, ReleaseSpec, ReplaceReleaseOptions } from "./port-types.ts";
import { runRelease } from "./run-release.ts";
import { settleAll } from "./settle-all.ts";
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

/**
 * Start-first: new beside old, gated, handed over. The old release is listed while the new one
 * starts (one deployment of a service runs at a time, so nothing joins it meanwhile); both are
 * settled before either failure is reported, the release's own first.
 */
async function startFirstRelease(api: EngineApi, spec: ReleaseSpec, options: ReplaceReleaseOptions): Promise<Handover> {
  const [release, previous] = await settleAll([runRelease(api, spec, options), listPrevious(api, spec.owner.serviceId, spec.deploymentId)]);
  const handover = { release, previous };
  await handOver(api, handover, options);
  return handover;
}

/** A new release of the service per options.strategy, handed over (the old one not yet retired). */
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
  return (await releaseByStrategy(api, spec, options, graceSeconds)).release;
}
