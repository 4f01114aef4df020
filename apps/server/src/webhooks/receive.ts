import { createHash } from "node:crypto";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { enqueue, snapshotConfig } from "../deployments/deployments.ts";
import { claimDelivery, finishDelivery, mayRecordRejection } from "./deliveries.ts";
import type { HookReply } from "./hook-reply.ts";
import { isPullRequestEvent } from "./pull-requests.ts";
import { receivePullRequest } from "../previews/pull-request-hook.ts";
import {
  deliveryBody,
  deliveryIdOf,
  detectProvider,
  eventOf,
  NOT_JSON,
  NOT_UNDERSTOOD,
  parseEvent,
  type Provider,
  pushTo,
  sameProvider,
  verifySignature,
} from "./providers.ts";

type Headers = Record<string, string | string[] | undefined>;
export type ReceiveDeps = Pick<Deps, "db" | "env" | "log" | "events" | "queue" | "engine" | "queue" | "proxy" | "box">;

export type { HookReply };

const ignored = (reason: string): HookReply => ({ status: 202, body: { deployed: false, reason } });

/**
 * One push-webhook request to a service. Only enqueues (the worker builds later), so it
 * answers in milliseconds. Refuses (401) anything not signed with the service's secret, and
 * deploys exactly the pushed commit only for a push to the service's branch; a delivery id or
 * a signed body seen before is acknowledged without deploying again, a provider other than the
 * service's is refused, and a commit the service already deployed is not deployed again.
 */
export async function receiveGitWebhook(
  deps: ReceiveDeps,
  req: { serviceId: string; headers: Headers; rawBody: Buffer },
): Promise<HookReply> {
  const service = await deps.db.service.findUnique({
    where: { id: req.serviceId },
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
      gitBranch: true,
      webhookSecret: true,
      webhookProvider: true,
      project: { select: { teamId: true } },
    },
  });
  if (!service) return { status: 404, body: { error: "No such service" } };
  const provider = detectProvider(req.headers);
  if (!provider)
    return {
      status: 400,
      body: { error: NOT_UNDERSTOOD },
    };
  const event = eventOf(provider, req.headers);
  const secret = service.webhookSecret === null ? "" : deps.box.open(service.webhookSecret);
  const delivery = deliveryBody(provider, req.headers, req.rawBody);
  if (!verifySignature(provider, req.headers, delivery.signed, secret)) {
    const reason = secret === "" ? "This service has no webhook secret: webhooks are off" : "Missing or wrong signature";
    if (await mayRecordRejection(deps.db, service.id))
      await claimDelivery(deps.db, { serviceId: service.id, provider, deliveryId: null, event, outcome: "rejected", reason });
    return { status: 401, body: { error: reason } };
  }
  // Only the service's git host: a body signed for one provider is not replayed as another's.
  if (!(await acceptsProvider(deps, service, provider))) {
    const reason = `This service takes webhooks from ${service.webhookProvider} only (change it in the service's webhook settings)`;
    if (await mayRecordRejection(deps.db, service.id))
      await claimDelivery(deps.db, { serviceId: service.id, provider, deliveryId: null, event, outcome: "rejected", reason });
    return { status: 401, body: { error: reason } };
  }
  return handleVerified(deps, { service, provider, event, headers: req.headers, rawBody: req.rawBody, json: delivery.json });
}

/** The configured provider, or (none yet) the first verified one, recorded for good. */
async function acceptsProvider(
  deps: ReceiveDeps,
  service: { id: string; webhookProvider: string | null },
  provider: Provider,
): Promise<boolean> {
  if (service.webhookProvider !== null) return sameProvider(service.webhookProvider, provider);
  const { count } = await deps.db.service.updateMany({
    where: { id: service.id, webhookProvider: null },
    data: { webhookProvider: provider },
  });
  if (count === 1) return true;
  const now = await deps.db.service.findUnique({ where: { id: service.id }, select: { webhookProvider: true } });
  return now?.webhookProvider ? sameProvider(now.webhookProvider, provider) : false;
}

/** Any deployment of this service already built this commit. */
async function alreadyDeployed(deps: ReceiveDeps, serviceId: string, commitSha: string): Promise<boolean> {
  return (await deps.db.deployment.count({ where: { serviceId, commitSha } })) > 0;
}

interface Verified {
  service: Parameters<typeof snapshotConfig>[1] & {
    name: string;
    sourceType: string;
    gitBranch: string | null;
    project: { teamId: string };
  };
  provider: Provider;
  event: string;
  headers: Headers;
  rawBody: Buffer;
  /** The delivery's JSON text (the body, or a form body's `payload`). */
  json: string;
}

async function handleVerified(deps: ReceiveDeps, v: Verified): Promise<HookReply> {
  const { service, provider, event } = v;
  const deliveryId = deliveryIdOf(provider, v.headers, v.rawBody);
  const base = { serviceId: service.id, provider, deliveryId, event };
  let body: unknown;
  try {
    body = JSON.parse(v.json);
  } catch {
    await claimDelivery(deps.db, { ...base, outcome: "ignored", reason: NOT_JSON });
    return { status: 400, body: { error: NOT_JSON } };
  }
  // Pull/merge requests open, update and remove previews (previews/), never deploy the service itself.
  if (isPullRequestEvent(provider, event))
    return receivePullRequest(deps, {
      serviceId: service.id,
      teamId: service.project.teamId,
      provider,
      event,
      deliveryId,
      rawBody: v.rawBody,
      body,
    });
  const parsed = parseEvent(provider, event, body);
  const found = pushTo(parsed, service.gitBranch ?? "main");
  const push = "push" in found ? found.push : undefined;
  let skip: string | null = "skip" in found ? found.skip : null;
  if (parsed.kind === "push" && service.sourceType !== "git") skip = "This service deploys an image; pushes do not deploy it";
  else if (push && (await alreadyDeployed(deps, service.id, push.commitSha))) {
    // Without a clone Berth cannot tell whether a commit is older than the live one; a commit
    // this service already deployed is what an old captured push names: never again from a webhook.
    skip = `Commit ${push.commitSha.slice(0, 12)} was already deployed; deploy it again from the dashboard if you mean to`;
  }

  const bodySha256 = createHash("sha256").update(v.rawBody).digest("hex");
  const claimed = await claimDelivery(deps.db, {
    ...base,
    bodySha256,
    ref: push ? `refs/heads/${push.branch}` : null,
    commitSha: push?.commitSha ?? null,
    outcome: skip ? "ignored" : "deployed",
    reason: skip ?? "",
  });
  if (claimed === null) return { status: 200, body: { deployed: false, duplicate: true, reason: "This delivery was already received" } };
  if (skip || !push) return ignored(skip ?? "");
  try {
    const { deploymentId } = await enqueue(deps, {
      serviceId: service.id,
      teamId: service.project.teamId,
      trigger: "webhook",
      actorId: null,
      image: "",
      config: await snapshotConfig(deps, service),
      commitSha: push.commitSha,
      commitMessage: push.message?.slice(0, 500) ?? null,
    });
    await finishDelivery(deps.db, claimed, { outcome: "deployed", reason: `Deploying ${push.commitSha.slice(0, 12)}`, deploymentId });
    await recordAudit(deps.db, null, {
      teamId: service.project.teamId,
      action: "service.deploy",
      targetType: "service",
      targetId: service.id,
      detail: { name: service.name, deploymentId, trigger: "webhook", provider, commit: push.commitSha },
    });
    return { status: 202, body: { deployed: true, deploymentId, commit: push.commitSha } };
  } catch (err) {
    // Let the host's retry deploy it: forget this delivery id, keep the failure visible.
    await deps.db.webhookDelivery
      .update({
        where: { id: claimed },
        data: { outcome: "failed", reason: "Could not queue the deployment", deliveryId: null, bodySha256: null },
      })
      .catch((e: unknown) => deps.log.error({ err: String(e) }, "could not release a failed delivery id"));
    throw err;
  }
}
