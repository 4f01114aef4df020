import type { Db, Prisma } from "@berth/db";
import type { Actor } from "../teams/access.ts";

/** Dotted names of what the audit log records. */
export type AuditAction =
  | "auth.sign_in"
  | "auth.sign_up"
  | "project.create"
  | "service.create"
  | "database.create"
  | "database.public_port"
  | "backup.destination"
  | "backup.policy"
  | "backup.create"
  | "backup.restore"
  | "stack.create"
  | "stack.deploy"
  | "stack.update"
  | "stack.sync"
  | "stack.delete"
  | "stack.webhook"
  | "service.update"
  | "service.placement"
  | "service.delete"
  | "project.update"
  | "project.delete"
  | "volume.delete"
  | "registry.save"
  | "registry.delete"
  | "service.stop"
  | "service.start"
  | "service.reconcile"
  | "service.deploy"
  | "service.rollback"
  | "env.set"
  | "env.delete"
  | "env.reveal"
  | "webhook.rotate"
  | "webhook.provider"
  | "deploy_hook.rotate"
  | "notification.create"
  | "notification.delete"
  | "notification.test"
  | "team.create"
  | "member.invite"
  | "member.invite_revoke"
  | "member.join"
  | "member.role_change"
  | "member.remove"
  | "member.leave"
  | "team.transfer_ownership"
  | "token.create"
  | "token.revoke"
  | "session.revoke"
  | "instance.settings"
  | "server.add"
  | "server.remove"
  | "cluster.create"
  | "cluster.join"
  | "cluster.node_availability"
  | "cluster.node_labels"
  | "domain.add"
  | "domain.update"
  | "domain.remove"
  | "domain.certificate"
  | "host.reclaim"
  | "terminal.open"
  | "terminal.close"
  | "one_off.run"
  | "one_off.cancel"
  | "cron.create"
  | "cron.update"
  | "cron.delete"
  | "cron.run"
  | "preview.deploy"
  | "preview.remove"
  | "preview.settings";

export interface AuditEntry {
  teamId: string | null;
  action: AuditAction;
  targetType?: string;
  targetId?: string;
  /** Names and ids only: never a secret value (environment values, tokens, passwords). */
  detail?: Record<string, string | number | boolean | string[]>;
}

/** Append one event. `actor` null: the event has no signed-in caller (e.g. the system). */
export async function recordAudit(db: Db, actor: Actor | null, entry: AuditEntry): Promise<void> {
  await db.auditEvent.create({
    data: {
      teamId: entry.teamId,
      actorId: actor?.userId ?? null,
      actorEmail: actor?.email ?? "",
      action: entry.action,
      targetType: entry.targetType ?? "",
      targetId: entry.targetId ?? "",
      detail: (entry.detail ?? {}) as Prisma.InputJsonValue,
      ip: actor?.ip ?? "",
      via: actor?.token ? `token:${actor.token.id.slice(0, 8)}` : "session",
    },
  });
}
