import { createHash } from "node:crypto";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { claimDelivery, finishDelivery } from "../webhooks/deliveries.ts";
import type { HookReply } from "../webhooks/hook-reply.ts";
import { parsePullRequest, type PullRequest } from "../webhooks/pull-requests.ts";
import { openPreview } from "./open-preview.ts";
import { removePreviewService } from "./remove-preview.ts";

export type PullRequestDeps = Pick<Deps, "db" | "env" | "log" | "events" | "queue" | "engine" | "queue" | "proxy" | "box">;

export interface VerifiedPullRequest {
  serviceId: string;
  teamId: string;
  provider: string;
  event: string;
  deliveryId: string;
  rawBody: Buffer;
  body: unknown;
}

/** Remove the preview of a closed or merged pull request (none: nothing to do). */
async function closePreview(deps: PullRequestDeps, v: VerifiedPullRequest, pr: PullRequest): Promise<{ removed: boolean; reason: string }> {
  const preview = await deps.db.preview.findUnique({
    where: { parentServiceId_prNumber: { parentServiceId: v.serviceId, prNumber: pr.number } },
    include: { parent: { select: { name: true } } },
  });
  if (!preview) return { removed: false, reason: `No preview of #${pr.number} to remove` };
  await removePreviewService(deps, preview.serviceId);
  await recordAudit(deps.db, null, {
    teamId: v.teamId,
    action: "preview.remove",
    targetType: "service",
    targetId: v.serviceId,
    detail: { name: preview.parent.name, pullRequest: pr.number, provider: v.provider },
  });
  return { removed: true, reason: `Removed the preview of #${pr.number}` };
}

/**
 * A verified pull/merge request delivery to a service (signature, provider and JSON already
 * checked by webhooks/receive.ts). Recorded once like a push (a redelivery or a replayed body
 * is acknowledged and does nothing); opened/reopened/new commits open or update the preview,
 * closed/merged/declined remove it; every other action, and every refusal (previews off, a
 * fork, the limit), is answered 202 with the reason and recorded with it.
 */
export async function receivePullRequest(deps: PullRequestDeps, v: VerifiedPullRequest): Promise<HookReply> {
  const parsed = parsePullRequest(v.provider, v.event, v.body);
  const pr = parsed.kind === "pull_request" ? parsed.pr : null;
  const bodySha256 = createHash("sha256").update(v.rawBody).digest("hex");
  const claimed = await claimDelivery(deps.db, {
    serviceId: v.serviceId,
    provider: v.provider,
    deliveryId: v.deliveryId,
    event: v.event,
    bodySha256,
    ref: pr ? `pull/${pr.number}` : null,
    commitSha: pr?.headSha || null,
    outcome: "ignored",
    reason: parsed.kind === "pull_request_ignored" ? parsed.reason : "Received",
  });
  if (claimed === null) return { status: 200, body: { deployed: false, duplicate: true, reason: "This delivery was already received" } };
  if (!pr) return { status: 202, body: { deployed: false, reason: parsed.kind === "pull_request_ignored" ? parsed.reason : "" } };
  try {
    if (pr.action === "close") {
      const closed = await closePreview(deps, v, pr);
      await finishDelivery(deps.db, claimed, { outcome: "ignored", reason: closed.reason });
      return { status: 202, body: { deployed: false, previewRemoved: closed.removed, pullRequest: pr.number, reason: closed.reason } };
    }
    const parent = await deps.db.service.findUniqueOrThrow({ where: { id: v.serviceId } });
    const outcome = await openPreview(deps, parent, pr, v.provider, v.teamId);
    await finishDelivery(deps.db, claimed, {
      outcome: outcome.deployed ? "deployed" : "ignored",
      reason: outcome.reason,
      deploymentId: outcome.deployed ? outcome.deploymentId : null,
    });
    return { status: 202, body: { ...outcome, pullRequest: pr.number } };
  } catch (err) {
    // Let the host's retry act on it: forget this delivery id, keep the failure visible.
    await deps.db.webhookDelivery
      .update({
        where: { id: claimed },
        data: { outcome: "failed", reason: "Could not update the preview", deliveryId: null, bodySha256: null },
      })
      .catch((e: unknown) => deps.log.error({ err: String(e) }, "could not release a failed delivery id"));
    throw err;
  }
}
