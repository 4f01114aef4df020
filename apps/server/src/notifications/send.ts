import type { NotificationKind } from "@berth/db";
import type { Mailer } from "../mail/mailer.ts";

export interface DeployOutcome {
  /** "test": a channel's test message (no deployment; `url` is the project's page). */
  status: "succeeded" | "failed" | "timed_out" | "test";
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
  const what = `${o.project}/${o.service}${o.commitSha ? ` (${o.commitSha.slice(0, 12)})` : ""}`;
  if (o.status === "succeeded") return `Deploy of ${what} succeeded.`;
  return `Deploy of ${what} ${o.status === "timed_out" ? "timed out" : "failed"}${o.error ? `: ${o.error.split("\n")[0]}` : "."}`;
}

/** The request body each kind of incoming webhook expects. PURE. */
export function payloadFor(kind: Exclude<NotificationKind, "email">, o: DeployOutcome): unknown {
  const text = `${summaryOf(o)} ${o.url}`;
  if (kind === "slack") return { text };
  if (kind === "discord") return { content: text.slice(0, 2000) };
  return { event: o.status === "test" ? "notification.test" : `deployment.${o.status}`, ...o, text };
}

const TIMEOUT_MS = 5_000;

/** Send one notification; throws with a short reason when the receiver refuses or is unreachable. */
export async function sendNotification(channel: { kind: NotificationKind; target: string }, outcome: DeployOutcome, mailer: Mailer | null | undefined): Promise<void> {
  if (channel.kind === "email") {
    if (!mailer) throw new Error("SMTP is not configured");
    await mailer.send({ to: channel.target, subject: `[Berth] ${summaryOf(outcome).slice(0, 150)}`, text: `${summaryOf(outcome)}\n\n${outcome.url}\n` });
    return;
  }
  const res = await fetch(channel.target, {
    method: "POST",
    headers: { "content-type": "application/json", "user-agent": "Berth-Notifications" },
    body: JSON.stringify(payloadFor(channel.kind, outcome)),
    // A redirect could aim the request anywhere: refused.
    redirect: "error",
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`The receiver answered HTTP ${res.status}`);
}

/** How a send went, as a channel's `lastStatus` records it. */
export function deliveryStatus(err: unknown): string {
  return `error: ${err instanceof Error ? err.message : String(err)}`.slice(0, 300);
}
