/**
 * Delete a whole stack: its services (containers, build images, domains, variables), the
 * project network when nothing else uses it, and their volumes only when asked -- each
 * service exactly as a single service's deletion, dependents first.
 */
import { recordAudit } from "../audit/audit.ts";
import type { Deps } from "../deps.ts";
import type { RemovePreviewDeps } from "../previews/remove-preview.ts";
import { deleteService } from "../services/services.ts";
import type { Actor } from "../teams/access.ts";
import { loadStack } from "./stack-access.ts";

export async function deleteStack(
  deps: RemovePreviewDeps & Pick<Deps, "box">,
  actor: Actor,
  stackId: string,
  options: { deleteVolumes: boolean },
) {
  const { stack, project } = await loadStack(deps.db, actor, stackId, "member");
  const members = await deps.db.stackService.findMany({
    where: { stackId },
    orderBy: { position: "desc" },
    include: { service: { select: { name: true } } },
  });
  // Services first: one the engine cannot remove stops the deletion with the stack still listing the rest.
  for (const m of members) await deleteService(deps, actor, m.serviceId, options);
  await deps.db.stack.delete({ where: { id: stackId } });
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    targetType: "stack",
    targetId: stackId,
    action: "stack.delete",
    detail: { name: stack.name, services: members.map((m) => m.service.name), volumesDeleted: options.deleteVolumes },
  });
  return { ok: true as const, projectId: project.id };
}
