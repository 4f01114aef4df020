import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { enqueue, snapshotConfig } from "../deployments/deployments.ts";
import { hashSecret } from "../tokens/token-secret.ts";
import type { HookReply } from "./hook-reply.ts";

export const DEPLOY_HOOK_PREFIX = "bdh_";

/**
 * The generic deploy hook: POST /hooks/deploy/<token>. The token alone names the service
 * (only its sha256 is stored); the request body is never read, so nothing in it can change
 * what deploys: the configured image, or the configured branch (or pinned commit).
 */
export async function receiveDeployHook(deps: Pick<Deps, "db" | "env" | "events" | "queue" | "box">, token: string): Promise<HookReply> {
  if (!token.startsWith(DEPLOY_HOOK_PREFIX) || token.length > 200) return { status: 404, body: { error: "Unknown deploy hook" } };
  const service = await deps.db.service.findUnique({
    where: { deployHookHash: hashSecret(token) },
    select: {
      id: true,
      name: true,
      projectId: true,
      kind: true,
      containerPort: true,
      runtime: true,
      replicas: true,
      strategy: true,
      hostAccess: true,
      sourceType: true,
      image: true,
      project: { select: { teamId: true } },
    },
  });
  if (!service) return { status: 404, body: { error: "Unknown deploy hook" } };
  const { deploymentId } = await enqueue(deps, {
    serviceId: service.id,
    teamId: service.project.teamId,
    trigger: "deploy_hook",
    actorId: null,
    image: service.sourceType === "git" ? "" : service.image,
    config: await snapshotConfig(deps, service),
    commitMessage: "Deploy hook",
  });
  await recordAudit(deps.db, null, {
    teamId: service.project.teamId,
    action: "service.deploy",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, deploymentId, trigger: "deploy_hook" },
  });
  return { status: 202, body: { deploymentId } };
}
