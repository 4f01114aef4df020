/**
 * The stop-first (recreate) strategy: for services whose old and new release must never run
 * together -- one data directory (a volume) or one fixed host port. The image is made present
 * first (a failed pull stops nothing); then the old release is stopped (SIGTERM, kill after
 * grace; not removed) and the new one created and gated. If it fails, the old containers are
 * started again (their volumes untouched) and the original error is rethrown; on success the
 * hand-over hook runs. The caller removes the old containers afterwards.
 */
import type { ContainerInfo } from "dockerode";
import { listManagedContainers, startContainer, stopContainer } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage, withDetails } from "./errors.ts";
import { parseDeploymentLabel } from "./labels.ts";
import { listPrevious } from "./managed-list.ts";
import { displayName } from "./names.ts";
import type { Handover, ReleaseSpec, ReplaceReleaseOptions } from "./port-types.ts";
import { handOver } from "./hand-over.ts";
import { prepareRelease, startRelease } from "./run-release.ts";

const OPERATION = "stop-first release";
/** States in which a container is (or is about to be) running, so stopping it matters. */
const LIVE_STATES = new Set(["running", "restarting", "paused"]);

function nameOf(c: ContainerInfo): string {
  return displayName(c.Names[0]) || c.Id.slice(0, 12);
}

/** Undo the stop and rethrow `err` with what was restored (names) and what could not be. */
async function restoreAndFail(api: EngineApi, spec: ReleaseSpec, old: ContainerInfo[], err: unknown): Promise<never> {
  const results = await Promise.allSettled(old.map((c) => startContainer(api, c.Id)));
  const cleanupErrors = results.flatMap((r, i) =>
    r.status === "rejected" ? [`could not start old container ${nameOf(old[i] as ContainerInfo)} again: ${engineMessage(r.reason)}`] : [],
  );
  const restored = old.filter((_, i) => results[i]?.status === "fulfilled").map(nameOf);
  throw withDetails(err, OPERATION, spec.serviceName, { cleanupErrors, restored });
}

export async function stopFirstRelease(
  api: EngineApi,
  spec: ReleaseSpec,
  options: ReplaceReleaseOptions,
  graceSeconds: number,
): Promise<Handover> {
  const prepared = await prepareRelease(api, spec, options);
  const others = (await listManagedContainers(api, spec.owner.serviceId)).filter(
    (c) => parseDeploymentLabel(c.Labels) !== spec.deploymentId,
  );
  const live = others.filter((c) => LIVE_STATES.has(c.State));
  const stopped = await Promise.allSettled(live.map((c) => stopContainer(api, c.Id, graceSeconds)));
  const stopFailures = stopped.flatMap((r, i) =>
    r.status === "rejected" ? [`${nameOf(live[i] as ContainerInfo)}: ${engineMessage(r.reason)}`] : [],
  );
  if (stopFailures.length > 0) {
    const message = `${OPERATION} ${spec.serviceName}: the old release could not be stopped (${stopFailures.join("; ")}); the new one was not started`;
    await restoreAndFail(
      api,
      spec,
      live,
      new EngineError({
        code: "ENGINE_ERROR",
        operation: OPERATION,
        resource: spec.serviceName,
        message,
        details: { failures: stopFailures },
      }),
    );
  }
  let handover: Handover;
  try {
    // The old containers, now stopped: what the hook is told the new release replaces.
    const previous = await listPrevious(api, spec.owner.serviceId, spec.deploymentId);
    handover = { release: await startRelease(api, spec, prepared, options), previous };
  } catch (err) {
    return restoreAndFail(api, spec, live, err);
  }
  try {
    await handOver(api, handover, options); // on failure it removes the new release
  } catch (err) {
    return restoreAndFail(api, spec, live, err);
  }
  return handover;
}
