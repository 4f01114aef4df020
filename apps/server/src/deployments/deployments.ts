import type { Deps } from "../deps.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { recordAudit } from "../audit/audit.ts";

/**
 * Queue a deployment of the service's current configuration. A deployment already queued
 * for the service is reused, so repeated clicks do not pile up work.
 */
export async function enqueueDeployment(
  deps: Pick<Deps, "db" | "wakeWorker">,
  actor: Actor,
  serviceId: string,
  trigger = "user",
): Promise<{ deploymentId: string }> {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const queued = await deps.db.deployment.findFirst({ where: { serviceId, status: "queued" }, select: { id: true } });
  const deployment =
    queued ??
    (await deps.db.deployment.create({
      data: { serviceId, image: service.image, trigger, actorId: actor.userId },
      select: { id: true },
    }));
  if (!queued) {
    await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "service.deploy", targetType: "service", targetId: serviceId, detail: { name: service.name, deploymentId: deployment.id } });
  }
  deps.wakeWorker?.();
  return { deploymentId: deployment.id };
}

export async function listDeployments(deps: Pick<Deps, "db">, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  return deps.db.deployment.findMany({
    where: { serviceId },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
}
