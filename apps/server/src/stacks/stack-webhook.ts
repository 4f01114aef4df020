/**
 * A push webhook to a git-sourced stack: verified like a service's (its own secret, its
 * provider only), then, for a new commit on the stack's branch, the compose file is read again
 * at that commit and the stack re-imported in the background (added and changed services
 * deployed, nothing removed). Answers at once: a re-import clones, which takes longer than a
 * git host waits. A commit the stack already imported is never imported again by a webhook.
 */
import { randomBytes } from "node:crypto";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { DomainError } from "../errors.ts";
import { dashboardUrl } from "../instance/dashboard-domain.ts";
import type { Actor } from "../teams/access.ts";
import { stackHookUrl } from "./create-stack.ts";
import { loadStack } from "./stack-access.ts";
import {
  deliveryBody,
  detectProvider,
  eventOf,
  NOT_JSON,
  NOT_UNDERSTOOD,
  parseEvent,
  pushTo,
  sameProvider,
  verifySignature,
} from "../webhooks/providers.ts";
import type { HookReply } from "../webhooks/receive.ts";
import { importFromGit } from "./stack-source.ts";
import { applyImport } from "./update-stack.ts";
import { storedOrigin } from "./stack-import-input.ts";

type Headers = Record<string, string | string[] | undefined>;
type HookDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "queue" | "events" | "box">;

export async function receiveStackWebhook(deps: HookDeps, req: { stackId: string; headers: Headers; rawBody: Buffer }): Promise<HookReply> {
  const stack = await deps.db.stack.findUnique({ where: { id: req.stackId } });
  if (!stack || stack.gitUrl === null) return { status: 404, body: { error: "No such stack" } };
  const provider = detectProvider(req.headers);
  if (!provider)
    return {
      status: 400,
      body: { error: NOT_UNDERSTOOD },
    };
  const secret = stack.webhookSecret === null ? "" : deps.box.open(stack.webhookSecret);
  const delivery = deliveryBody(provider, req.headers, req.rawBody);
  if (!verifySignature(provider, req.headers, delivery.signed, secret))
    return {
      status: 401,
      body: { error: secret === "" ? "This stack has no webhook secret: webhooks are off" : "Missing or wrong signature" },
    };
  if (stack.webhookProvider === null)
    await deps.db.stack.updateMany({ where: { id: stack.id, webhookProvider: null }, data: { webhookProvider: provider } });
  else if (!sameProvider(stack.webhookProvider, provider))
    return { status: 401, body: { error: `This stack takes webhooks from ${stack.webhookProvider} only` } };
  let body: unknown;
  try {
    body = JSON.parse(delivery.json);
  } catch {
    return { status: 400, body: { error: NOT_JSON } };
  }
  const found = pushTo(parseEvent(provider, eventOf(provider, req.headers), body), stack.gitBranch ?? "main");
  if ("skip" in found) return { status: 202, body: { deployed: false, reason: found.skip } };
  const { push } = found;
  const seen =
    push.commitSha === stack.commitSha ||
    (await deps.db.auditEvent.count({
      where: {
        targetId: stack.id,
        action: { in: ["stack.sync", "stack.update", "stack.create"] },
        detail: { path: ["commit"], equals: push.commitSha },
      },
    })) > 0;
  if (seen) return { status: 202, body: { deployed: false, reason: `Commit ${push.commitSha.slice(0, 12)} was already imported` } };
  void syncStackFromPush(deps, stack.id, push.commitSha);
  return {
    status: 202,
    body: {
      deployed: true,
      commit: push.commitSha,
      reason: "Reading the compose file at this commit; the stack's changed services deploy",
    },
  };
}

/** Re-import the stack at `commit`; a refused file changes nothing and is shown on the stack page. */
export async function syncStackFromPush(deps: HookDeps, stackId: string, commit: string): Promise<void> {
  try {
    const stack = await deps.db.stack.findUniqueOrThrow({ where: { id: stackId }, include: { project: { select: { teamId: true } } } });
    const variables = JSON.parse(deps.box.open(stack.variables)) as Record<string, string>;
    const source = storedOrigin(stack);
    try {
      const imported = await importFromGit(deps, source, commit, { variables, profiles: stack.profiles });
      const changes = await applyImport(
        deps,
        { stack, teamId: stack.project.teamId, actor: null },
        { imported, origin: source, variables, profiles: stack.profiles },
        { remove: "keep", deleteVolumes: false, deploy: true },
      );
      if (changes.removed.length > 0)
        await deps.db.stack.update({
          where: { id: stackId },
          data: {
            syncError: `Commit ${commit.slice(0, 12)} no longer has ${changes.removed.join(", ")}: kept running; remove ${changes.removed.length === 1 ? "it" : "them"} by editing the stack`,
          },
        });
    } catch (err) {
      await deps.db.stack.update({
        where: { id: stackId },
        data: { syncError: `Commit ${commit.slice(0, 12)} was not imported: ${err instanceof Error ? err.message : String(err)}` },
      });
    }
  } catch (err) {
    deps.log.error({ stackId, err: String(err) }, "could not re-import a stack after a push");
  }
}

/** A new webhook secret for a git-sourced stack (the old one stops working at once). Shown once; stored sealed. */
export async function rotateStackWebhook(deps: Pick<Deps, "db" | "env" | "box">, actor: Actor, stackId: string) {
  const { stack, project } = await loadStack(deps.db, actor, stackId, "member");
  if (stack.gitUrl === null) throw new DomainError("CONFLICT", "A pasted stack has no repository to take pushes from");
  const secret = randomBytes(32).toString("hex");
  await deps.db.stack.update({ where: { id: stackId }, data: { webhookSecret: deps.box.seal(secret) } });
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    targetType: "stack",
    targetId: stackId,
    action: "stack.webhook",
    detail: { name: stack.name },
  });
  return { url: stackHookUrl(await dashboardUrl(deps), stackId), secret };
}
