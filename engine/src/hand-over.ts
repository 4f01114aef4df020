/**
 * The hand-over: the router's hook switches traffic to the new, healthy release (and drains
 * the old). If it throws, the new release is removed and the old one keeps the traffic.
 */
import { removeContainerForce } from "./containers.ts";
import type { EngineApi } from "./engine-api.ts";
import { EngineError, engineMessage } from "./errors.ts";
import type { Handover, ReplaceReleaseOptions } from "./port-types.ts";

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
