import type { Deps } from "../deps.ts";
import { waitUntilNone } from "../wait-until-none.ts";
import { ACTIVE_STATUSES } from "./statuses.ts";

/** Longest a removal waits for a running deployment to end after it was asked to cancel. */
const STOP_WAIT_MS = 60_000;

/**
 * Before services of one team are removed (deleted, in a deleted project or stack, or a closed
 * pull request's preview): their queued deployments are cancelled, their running ones are asked
 * to cancel in whichever process runs them, and the removal waits (bounded) until none runs. A
 * build or a release still in flight would otherwise leave what it makes after the removal behind
 * it -- a container, a Swarm service, a build image -- and hold its worker slot until it failed
 * by itself.
 */
export async function stopDeployments(
  deps: Pick<Deps, "db" | "events" | "queue">,
  owner: { teamId: string; serviceIds: string[] },
  reason: string,
): Promise<void> {
  const { teamId, serviceIds } = owner;
  const queued = await deps.db.deployment.findMany({
    where: { serviceId: { in: serviceIds }, status: "queued" },
    select: { id: true, serviceId: true },
  });
  await deps.db.deployment.updateMany({
    where: { id: { in: queued.map((d) => d.id) }, status: "queued" },
    data: { status: "cancelled", error: reason, finishedAt: new Date() },
  });
  for (const d of queued) deps.events.publishStatus({ deploymentId: d.id, serviceId: d.serviceId, teamId, status: "cancelled" });
  const running = { serviceId: { in: serviceIds }, status: { in: [...ACTIVE_STATUSES] } };
  const active = await deps.db.deployment.findMany({ where: running, select: { id: true } });
  if (active.length === 0) return;
  await deps.db.deployment.updateMany({ where: { id: { in: active.map((d) => d.id) } }, data: { cancelRequestedAt: new Date() } });
  for (const d of active) deps.queue.cancel(d.id);
  await waitUntilNone(() => deps.db.deployment.count({ where: running }), STOP_WAIT_MS);
}
