import { z } from "zod";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { DomainError } from "../errors.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { isActiveStatus } from "../deployments/statuses.ts";

export const MAX_PREVIEW_LIMIT = 20;

export const previewSettingsInput = z.object({
  serviceId: z.string().uuid("Unknown service"),
  enabled: z.boolean(),
  allowForks: z.boolean(),
  limit: z.coerce
    .number({ message: "Enter a whole number" })
    .int("Enter a whole number")
    .min(1, "At least 1")
    .max(MAX_PREVIEW_LIMIT, `At most ${MAX_PREVIEW_LIMIT}`),
});
export type PreviewSettingsInput = z.infer<typeof previewSettingsInput>;

type PreviewDeps = Pick<Deps, "db">;

/** A service's preview settings (a preview's own hidden service has none: NOT_FOUND-free, it says so). */
export async function getPreviewSettings(deps: PreviewDeps, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  return {
    enabled: service.previewsEnabled,
    allowForks: service.previewForks,
    limit: service.previewLimit,
    /** Why previews cannot work for this service whatever the switch says (null: they can). */
    unavailable:
      service.previewOfId !== null
        ? "This service is itself a preview"
        : service.sourceType !== "git"
          ? "Previews need a service built from a git repository"
          : service.kind !== "web"
            ? "Previews are for web services"
            : null,
  };
}

export async function updatePreviewSettings(deps: PreviewDeps, actor: Actor, input: PreviewSettingsInput) {
  const { service } = await loadService(deps.db, actor, input.serviceId, "member");
  if (service.previewOfId !== null)
    throw new DomainError("INVALID", "A preview cannot have previews of its own", { enabled: "A preview cannot have previews of its own" });
  await deps.db.service.update({
    where: { id: service.id },
    data: { previewsEnabled: input.enabled, previewForks: input.allowForks, previewLimit: input.limit },
  });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "preview.settings",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, enabled: input.enabled, allowForks: input.allowForks, limit: input.limit },
  });
  return getPreviewSettings(deps, actor, service.id);
}

/** The open previews of a service: pull request, head, status of its latest deployment, URL. */
export async function listPreviews(deps: PreviewDeps, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  const rows = await deps.db.preview.findMany({
    where: { parentServiceId: serviceId },
    orderBy: { prNumber: "desc" },
    include: {
      service: {
        select: {
          id: true,
          name: true,
          domains: { where: { isDefault: true }, select: { hostname: true }, take: 1 },
          deployments: {
            orderBy: { createdAt: "desc" },
            take: 1,
            select: { id: true, status: true, error: true, commitSha: true, createdAt: true, finishedAt: true },
          },
        },
      },
    },
  });
  return rows.map((p) => {
    const latest = p.service.deployments[0] ?? null;
    const hostname = p.service.domains[0]?.hostname ?? null;
    return {
      id: p.id,
      pullRequest: p.prNumber,
      title: p.title,
      provider: p.provider,
      headSha: p.headSha,
      headBranch: p.headBranch,
      fromFork: p.fromFork,
      serviceId: p.service.id,
      /** queued ... succeeded | failed ... (the latest deployment of the preview). */
      status: latest?.status ?? "queued",
      deploying: latest !== null && (latest.status === "queued" || isActiveStatus(latest.status)),
      error: latest?.error ?? null,
      deploymentId: latest?.id ?? null,
      url: hostname ? `https://${hostname}` : null,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    };
  });
}
