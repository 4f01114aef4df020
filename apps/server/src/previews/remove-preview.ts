import type { Deps } from "../deps.ts";
import { buildRepository } from "../deployments/build-stage.ts";
import { ACTIVE_STATUSES } from "../deployments/statuses.ts";
import { takeDown } from "../services/desired-state.ts";
import { pruneProjectNetwork } from "../services/project-network.ts";
import { removeGitCache } from "../sources/git-cache.ts";

export type RemovePreviewDeps = Pick<Deps, "db" | "engine" | "log" | "events" | "queue" | "proxy" | "env">;

const STOP_WAIT_MS = 60_000;

/**
 * Cancel the hidden service's deployments and wait (bounded) until none runs: a build or a
 * release still in flight would otherwise leave an image or a container behind the removal.
 */
async function stopDeployments(deps: RemovePreviewDeps, { serviceId, teamId }: { serviceId: string; teamId: string }): Promise<void> {
  const reason = "Cancelled: the pull request was closed";
  const queued = await deps.db.deployment.findMany({ where: { serviceId, status: "queued" }, select: { id: true } });
  await deps.db.deployment.updateMany({
    where: { id: { in: queued.map((d) => d.id) }, status: "queued" },
    data: { status: "cancelled", error: reason, finishedAt: new Date() },
  });
  for (const d of queued) deps.events.publishStatus({ deploymentId: d.id, serviceId, teamId, status: "cancelled" });
  const active = await deps.db.deployment.findMany({ where: { serviceId, status: { in: [...ACTIVE_STATUSES] } }, select: { id: true } });
  if (active.length === 0) return;
  await deps.db.deployment.updateMany({ where: { id: { in: active.map((d) => d.id) } }, data: { cancelRequestedAt: new Date() } });
  for (const d of active) deps.queue.cancel(d.id);
  const deadline = Date.now() + STOP_WAIT_MS;
  while (Date.now() < deadline && (await deps.db.deployment.count({ where: { serviceId, status: { in: [...ACTIVE_STATUSES] } } })) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Remove a preview: its deployments stopped, its containers, release tags and build images,
 * then its hidden service (its domain, deployments and the preview row go with it), then the
 * route (the proxy config follows the domains in Postgres). Idempotent: a service already
 * gone is fine. An engine failure leaves everything in place (the caller answers 500; the
 * provider retries the delivery).
 */
export async function removePreviewService(deps: RemovePreviewDeps, serviceId: string): Promise<void> {
  const child = await deps.db.service.findUnique({
    where: { id: serviceId },
    select: { id: true, desiredState: true, projectId: true, previewOfId: true, project: { select: { teamId: true } } },
  });
  if (!child || child.previewOfId === null) return;
  await stopDeployments(deps, { serviceId: child.id, teamId: child.project.teamId });
  await takeDown(deps.db, [child], () => deps.engine.removeService(child.id));
  await deps.engine.removeRepositoryImages(buildRepository(child.id));
  await removeGitCache(deps, child.id);
  await deps.db.service.delete({ where: { id: child.id } });
  await deps.proxy?.apply().catch((err: unknown) => deps.log.warn({ err: String(err) }, "edge proxy apply failed; the watcher retries"));
  await pruneProjectNetwork(deps, child.projectId);
}
