/**
 * The old release's containers, retired after the new release is recorded. A start-first
 * release has the traffic at hand-over; the old release then only drains and stops (SIGTERM,
 * kill after the grace period), so the deployment is recorded `succeeded` first and a redeploy
 * is live as soon as traffic moved, not after the old process' shutdown (what Render does).
 *
 * While the old containers stop, the service is leased (`reconcilingUntil`, set in the record
 * transaction): the reconciler would otherwise force-remove them as strays of no live release,
 * and another process' claim would start the service's next deployment beside the retirement.
 * The lease is released afterwards; after a crash it ends by itself (RETIRE_LEASE_S) and the
 * reconciler removes what is left.
 */
import { DEFAULT_GRACE_SECONDS, engineMessage, type ContainerEngine } from "@berth/engine";
import { releaseLease } from "../reconcile/lease.ts";
import type { RunContext } from "./run-context.ts";

/** How long the record transaction leases the service for the retirement: the grace period and a margin. */
export const RETIRE_LEASE_S = DEFAULT_GRACE_SECONDS + 60;

/** Stop and remove the service's other releases, then release the lease; never throws (the deployment is live). */
export async function retireOldRelease(ctx: RunContext, engine: ContainerEngine): Promise<void> {
  const { deps, service, deployment } = ctx;
  try {
    const removed = await engine.retireOthers(service.id, deployment.id, DEFAULT_GRACE_SECONDS);
    if (removed.length > 0) deps.log.debug({ deploymentId: deployment.id, removed }, "old release retired");
  } catch (err) {
    deps.log.warn(
      { serviceId: service.id, deploymentId: deployment.id, err: engineMessage(err) },
      "could not retire the old release; the reconciler removes what is left",
    );
  } finally {
    await releaseLease(deps.db, service.id).catch((err: unknown) =>
      deps.log.warn(
        { serviceId: service.id, err: String(err) },
        "could not release the service after retiring its old release; the lease ends by itself",
      ),
    );
  }
}
