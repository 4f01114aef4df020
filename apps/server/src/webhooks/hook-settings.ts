import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { hashSecret, newSecret } from "../tokens/token-secret.ts";
import { recentDeliveries } from "./deliveries.ts";
import { DEPLOY_HOOK_PREFIX } from "./deploy-hook.ts";
import { PROVIDERS, type Provider } from "./providers.ts";
import { dashboardUrl } from "../instance/dashboard-domain.ts";

type HookDeps = Pick<Deps, "db" | "env" | "box">;

/** The URL a provider posts to (on the dashboard domain when one is set). */
export const gitHookUrl = (baseUrl: string, serviceId: string) => `${baseUrl}/hooks/git/${serviceId}`;

/** The service's webhook URL, whether a secret and a deploy hook exist, and recent deliveries. */
export async function getHooks(deps: HookDeps, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  const deliveries = await recentDeliveries(deps.db, serviceId);
  return {
    gitUrl: gitHookUrl(await dashboardUrl(deps), serviceId),
    branch: service.gitBranch ?? "main",
    hasSecret: service.webhookSecret !== null,
    /** The only provider whose webhooks deploy this service (null: the first verified one). */
    provider: service.webhookProvider,
    hasDeployHook: service.deployHookHash !== null,
    deliveries: deliveries.map((d) => ({
      id: d.id,
      provider: d.provider,
      event: d.event,
      deliveryId: d.deliveryId?.replace(/^[a-z]+:/, "") ?? null,
      commitSha: d.commitSha,
      outcome: d.outcome,
      reason: d.reason,
      deploymentId: d.deploymentId,
      createdAt: d.createdAt,
    })),
  };
}

async function audit(
  deps: HookDeps,
  actor: Actor,
  service: { id: string; name: string; project: { teamId: string } },
  action: "webhook.rotate" | "deploy_hook.rotate",
  enabled: boolean,
) {
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action,
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, enabled },
  });
}

/** A new webhook secret (the old one stops working at once). Shown once; stored sealed. */
export async function rotateWebhookSecret(deps: HookDeps, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const secret = randomBytes(32).toString("hex");
  await deps.db.service.update({ where: { id: serviceId }, data: { webhookSecret: deps.box.seal(secret) } });
  await audit(deps, actor, service, "webhook.rotate", true);
  return { secret, url: gitHookUrl(await dashboardUrl(deps), serviceId) };
}

export async function disableWebhook(deps: HookDeps, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  await deps.db.service.update({ where: { id: serviceId }, data: { webhookSecret: null } });
  await audit(deps, actor, service, "webhook.rotate", false);
  return { ok: true as const };
}

/** Which git host's webhooks the service accepts (null: the next verified delivery's provider is recorded). */
export async function setWebhookProvider(deps: HookDeps, actor: Actor, serviceId: string, provider: Provider | null) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  await deps.db.service.update({ where: { id: serviceId }, data: { webhookProvider: provider } });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "webhook.provider",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, provider: provider ?? "any (first verified)" },
  });
  return { ok: true as const };
}

export const setWebhookProviderInput = z.object({
  serviceId: z.string().uuid("Unknown service"),
  provider: z.enum(PROVIDERS as [Provider, ...Provider[]]).nullable(),
});

/** A new deploy hook URL (the old one stops working at once). Shown once; only its sha256 is stored. */
export async function rotateDeployHook(deps: HookDeps, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const token = newSecret(DEPLOY_HOOK_PREFIX);
  await deps.db.service.update({ where: { id: serviceId }, data: { deployHookHash: hashSecret(token) } });
  await audit(deps, actor, service, "deploy_hook.rotate", true);
  return { url: `${await dashboardUrl(deps)}/hooks/deploy/${token}` };
}

export async function removeDeployHook(deps: HookDeps, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  await deps.db.service.update({ where: { id: serviceId }, data: { deployHookHash: null } });
  await audit(deps, actor, service, "deploy_hook.rotate", false);
  return { ok: true as const };
}
