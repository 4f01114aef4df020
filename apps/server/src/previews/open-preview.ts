import type { Service } from "@berth/db";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { enqueue, snapshotConfig } from "../deployments/deployments.ts";
import { ensureDefaultDomain } from "../domains/domains.ts";
import { publicIpOf } from "../domains/dns-check.ts";
import { type PullRequest, sameCommit } from "../webhooks/pull-requests.ts";
import { previewServiceData, previewServiceName } from "./preview-service.ts";

export type OpenPreviewDeps = Pick<Deps, "db" | "env" | "events" | "queue" | "box">;

export type PreviewOutcome =
  { deployed: true; deploymentId: string; previewId: string; reason: string } | { deployed: false; reason: string };

const FULL_SHA = /^[0-9a-f]{40}$/;

/** Why `parent` takes no preview of `pr` (null: it does). */
export function previewRefusal(
  parent: Pick<Service, "previewsEnabled" | "previewForks" | "sourceType" | "kind">,
  pr: Pick<PullRequest, "number" | "fromFork" | "headRepoUrl">,
): string | null {
  if (!parent.previewsEnabled) return "Previews are off for this service (turn them on in its Previews tab)";
  if (parent.sourceType !== "git") return "Previews need a service built from a git repository";
  if (parent.kind !== "web") return "Previews are for web services (a preview is reached on its own domain)";
  if (pr.fromFork && !parent.previewForks) {
    return `Pull request #${pr.number} comes from a fork: previews from forks are off for this service (they would run untrusted code with its variables)`;
  }
  if (pr.fromFork && !pr.headRepoUrl) return `Pull request #${pr.number} comes from a fork whose repository the payload does not name`;
  return null;
}

/**
 * The preview row of (parent, PR), created with its hidden service under the parent's advisory
 * lock when there is none -- so concurrent deliveries agree on the limit -- or a reason it is not.
 */
async function claimPreview(
  deps: OpenPreviewDeps,
  parent: Service,
  pr: PullRequest,
  provider: string,
): Promise<{ previewId: string; serviceId: string; created: boolean } | { refused: string }> {
  const existing = await deps.db.preview.findUnique({
    where: { parentServiceId_prNumber: { parentServiceId: parent.id, prNumber: pr.number } },
  });
  if (existing) return { previewId: existing.id, serviceId: existing.serviceId, created: false };
  try {
    return await deps.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`preview:${parent.id}`})::bigint)`;
      const again = await tx.preview.findUnique({
        where: { parentServiceId_prNumber: { parentServiceId: parent.id, prNumber: pr.number } },
      });
      if (again) return { previewId: again.id, serviceId: again.serviceId, created: false };
      const open = await tx.preview.findMany({
        where: { parentServiceId: parent.id },
        select: { prNumber: true },
        orderBy: { prNumber: "asc" },
      });
      if (open.length >= parent.previewLimit) {
        return {
          refused: `The limit of ${parent.previewLimit} concurrent previews of this service is reached (open: ${open.map((p) => `#${p.prNumber}`).join(", ") || "none"}): close one or raise the limit`,
        };
      }
      const child = await tx.service.create({
        data: {
          projectId: parent.projectId,
          name: previewServiceName(parent.name, pr.number),
          previewOfId: parent.id,
          ...previewServiceData(parent, pr),
        },
        select: { id: true },
      });
      const row = await tx.preview.create({
        data: {
          parentServiceId: parent.id,
          serviceId: child.id,
          provider,
          prNumber: pr.number,
          title: pr.title,
          headSha: pr.headSha,
          headBranch: pr.headBranch,
          headRepoUrl: pr.headRepoUrl,
          fromFork: pr.fromFork,
        },
        select: { id: true },
      });
      return { previewId: row.id, serviceId: child.id, created: true };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      return {
        refused: `A service named ${previewServiceName(parent.name, pr.number)} already exists in this project: rename it to get a preview of #${pr.number}`,
      };
    throw err;
  }
}

/**
 * Open or update the preview of a pull request: its hidden service follows the parent's
 * settings and the PR's head, and a deployment of exactly the head commit is queued (the
 * branch head when the provider sends only a short hash). A commit the preview already
 * deployed is not deployed again.
 */
export async function openPreview(
  deps: OpenPreviewDeps,
  parent: Service,
  pr: PullRequest,
  provider: string,
  teamId: string,
): Promise<PreviewOutcome> {
  const refusal = previewRefusal(parent, pr);
  if (refusal) return { deployed: false, reason: refusal };
  const claim = await claimPreview(deps, parent, pr, provider);
  if ("refused" in claim) return { deployed: false, reason: claim.refused };
  if (claim.created) {
    await ensureDefaultDomain(deps.db, claim.serviceId, publicIpOf(deps.env), { prNumber: pr.number, serviceName: parent.name });
  } else {
    const preview = await deps.db.preview.findUniqueOrThrow({ where: { id: claim.previewId } });
    const deployedBefore = await deps.db.deployment.findMany({
      where: { serviceId: claim.serviceId, commitSha: { not: null } },
      select: { commitSha: true },
    });
    if (sameCommit(pr.headSha, preview.headSha) && deployedBefore.length > 0)
      return { deployed: false, reason: `The preview of #${pr.number} is already at ${pr.headSha.slice(0, 12)}` };
    if (deployedBefore.some((d) => sameCommit(pr.headSha, d.commitSha))) {
      return { deployed: false, reason: `Commit ${pr.headSha.slice(0, 12)} was already deployed to the preview of #${pr.number}` };
    }
    await deps.db.service.update({ where: { id: claim.serviceId }, data: previewServiceData(parent, pr) });
    await deps.db.preview.update({
      where: { id: claim.previewId },
      data: { headSha: pr.headSha, headBranch: pr.headBranch, headRepoUrl: pr.headRepoUrl, title: pr.title, fromFork: pr.fromFork },
    });
  }
  const child = await deps.db.service.findUniqueOrThrow({ where: { id: claim.serviceId } });
  const { deploymentId } = await enqueue(deps, {
    serviceId: child.id,
    teamId,
    trigger: "webhook",
    actorId: null,
    image: "",
    config: await snapshotConfig(deps, child),
    commitSha: FULL_SHA.test(pr.headSha) ? pr.headSha : null,
    commitMessage: `Preview of #${pr.number}${pr.title ? `: ${pr.title}` : ""}`.slice(0, 500),
  });
  await recordAudit(deps.db, null, {
    teamId,
    action: "preview.deploy",
    targetType: "service",
    targetId: parent.id,
    detail: { name: parent.name, pullRequest: pr.number, commit: pr.headSha, deploymentId, provider },
  });
  return {
    deployed: true,
    deploymentId,
    previewId: claim.previewId,
    reason: `Deploying the preview of #${pr.number} at ${pr.headSha.slice(0, 12)}`,
  };
}
