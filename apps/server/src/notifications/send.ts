import type { NotificationKind } from "@berth/db";
import type { Mailer } from "../mail/mailer.ts";
import { OutboundRefusedError, postJson, type Resolver } from "../net/outbound.ts";

export interface DeployOutcome {
  /** "test": a channel's test message (no deployment; `url` is the project's page). */
  /** "backup_failed": a database backup failed (no deployment; `error` says why). */
  /** "cron_failed": a cron run that did not succeed (`cronJob` names it, `deploymentId` is its release). */
  status: "succeeded" | "failed" | "timed_out" | "test" | "backup_failed" | "cron_failed";
  cronJob?: string;
  project: string;
  service: string;
  serviceId: string;
  deploymentId: string;
  commitSha: string | null;
  /** Already redacted. */
  error: string | null;
  /** The service page in the dashboard. */
  url: string;
}

export function summaryOf(o: DeployOutcome): string {
  if (o.status === "test") return `Test notification from Berth for project ${o.project}: this channel receives its deploy outcomes.`;
  if (o.status === "backup_failed")
    return `Backup of database ${o.project}/${o.service} failed${o.error ? `: ${o.error.split("\n")[0]}` : "."}`;
  if (o.status === "cron_failed")
    return `Cron job ${o.cronJob ?? ""} of ${o.project}/${o.service} failed${o.error ? `: ${o.error.split("\n")[0]}` : "."}`;
  const what = `${o.project}/${o.service}${o.commitSha ? ` (${o.commitSha.slice(0, 12)})` : ""}`;
  if (o.status === "succeeded") return `Deploy of ${what} succeeded.`;
  return `Deploy of ${what} ${o.status === "timed_out" ? "timed out" : "failed"}${o.error ? `: ${o.error.split("\n")[0]}` : "."}`;
}

/** The request body each kind of incoming webhook expects. PURE. */
export function payloadFor(kind: Exclude<NotificationKind, "email">, o: DeployOutcome): unknown {
  const text = `${summaryOf(o)} ${o.url}`;
  if (kind === "slack") return { text };
  if (kind === "discord") return { content: text.slice(0, 2000) };
  return {
    event:
      o.status === "test"
        ? "notification.test"
        : o.status === "backup_failed"
          ? "backup.failed"
          : o.status === "cron_failed"
            ? "cron.failed"
            : `deployment.${o.status}`,
    ...o,
    text,
  };
}

const TIMEOUT_MS = 5_000;

export interface SendPolicy {
  /** The instance allows local sources: loopback/private targets and plain http pass. */
  allowLocal: boolean;
  resolver?: Resolver;
}

/**
 * Send one notification; throws when it is not delivered. Webhooks go through `postJson`: the
 * name is resolved and checked at every send, and the request goes to the checked address.
 */
export async function sendNotification(
  channel: { kind: NotificationKind; target: string },
  outcome: DeployOutcome,
  mailer: Mailer | null | undefined,
  policy: SendPolicy,
): Promise<void> {
  if (channel.kind === "email") {
    if (!mailer) throw new Error("SMTP is not configured");
    await mailer.send({
      to: channel.target,
      subject: `[Berth] ${summaryOf(outcome).slice(0, 150)}`,
      text: `${summaryOf(outcome)}\n\n${outcome.url}\n`,
    });
    return;
  }
  await postJson(channel.target, payloadFor(channel.kind, outcome), {
    ...policy,
    timeoutMs: TIMEOUT_MS,
    headers: { "user-agent": "Berth-Notifications" },
  });
}

/**
 * How a send went, as a channel's `lastStatus` records it and its admins see it: delivered or
 * not, and a policy refusal -- never the receiver's status or a network reason, which would
 * turn channels into a port scanner of whatever a target reaches (the server log has them).
 */
export function deliveryStatus(err: unknown): string {
  if (err instanceof OutboundRefusedError) return `not delivered: ${err.message}`.slice(0, 300);
  return "not delivered";
}
