import type { Deps } from "../deps.ts";
import { buildRepository } from "../deployments/build-stage.ts";
import { stopDeployments } from "../deployments/stop-deployments.ts";
import { stopRuns } from "../one-offs/stop-runs.ts";
import { takeDown } from "../services/desired-state.ts";
import { pruneProjectNetwork } from "../services/project-network.ts";
import { removeGitCache } from "../sources/git-cache.ts";

export type RemovePreviewDeps = Pick<Deps, "db" | "engine" | "log" | "events" | "queue" | "proxy" | "env">;

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
  await stopDeployments(deps, { teamId: child.project.teamId, serviceIds: [child.id] }, "Cancelled: the pull request was closed");
  await stopRuns(deps, [child.id]);
  await takeDown(deps.db, [child], () => deps.engine.removeService(child.id));
  await deps.engine.removeRepositoryImages(buildRepository(child.id));
  await removeGitCache(deps, child.id);
  await deps.db.service.delete({ where: { id: child.id } });
  await deps.proxy?.apply().catch((err: unknown) => deps.log.warn({ err: String(err) }, "edge proxy apply failed; the watcher retries"));
  await pruneProjectNetwork(deps, child.projectId);
}
