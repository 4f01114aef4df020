import type { Deps } from "../deps.ts";
import { invalidField, notFound } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { getSettings } from "../instance/settings.ts";
import { type Actor, loadProject } from "../teams/access.ts";
import { resolveOutbound, unlessUnresolved } from "../net/outbound.ts";
import { checkNotificationUrl, type CreateChannelInput } from "./channel-input.ts";
import { type DeployOutcome, deliveryStatus, sendNotification } from "./send.ts";
import { dashboardUrl } from "../instance/dashboard-domain.ts";

type ChannelDeps = Pick<Deps, "db" | "env" | "mailer" | "log" | "box">;

/** Shown without the target: Slack/Discord webhook URLs are credentials. Email addresses are masked. */
function mask(kind: string, target: string): string {
  if (kind === "email") return target.replace(/^(.).*(@.*)$/, "$1…$2");
  const url = new URL(target);
  return `${url.protocol}//${url.host}/…`;
}

export async function listChannels(deps: ChannelDeps, actor: Actor, projectId: string) {
  await loadProject(deps.db, actor, projectId, "viewer");
  const box = deps.box;
  const rows = await deps.db.notificationChannel.findMany({ where: { projectId }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    name: r.name,
    target: mask(r.kind, box.open(r.target)),
    onSuccess: r.onSuccess,
    onFailure: r.onFailure,
    lastStatus: r.lastStatus,
    lastAt: r.lastAt,
  }));
}

export async function createChannel(deps: ChannelDeps, actor: Actor, projectId: string, input: CreateChannelInput) {
  const { project } = await loadProject(deps.db, actor, projectId, "admin");
  if (input.kind === "email" && !deps.mailer) throw invalidField("kind", "Email needs SMTP: set BERTH_SMTP_URL on the server");
  if (input.kind !== "email") {
    const { allowLocalSources } = await getSettings(deps.db);
    const problem = checkNotificationUrl(input.target, allowLocalSources);
    if (problem) throw invalidField("target", problem);
    // A name resolving to a non-public address is refused now (and checked again at every send).
    await resolveOutbound(new URL(input.target).hostname.replace(/^\[(.*)\]$/, "$1"), { allowLocal: allowLocalSources })
      .catch(unlessUnresolved)
      .catch((err: unknown) => {
        throw invalidField("target", err instanceof Error ? err.message : String(err));
      });
  }
  const created = await deps.db.notificationChannel.create({
    data: {
      projectId,
      kind: input.kind,
      name: input.name,
      target: deps.box.seal(input.target),
      onSuccess: input.onSuccess,
      onFailure: input.onFailure,
    },
    select: { id: true },
  });
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    action: "notification.create",
    targetType: "project",
    targetId: projectId,
    detail: { kind: input.kind, name: input.name },
  });
  return created;
}

export async function deleteChannel(deps: ChannelDeps, actor: Actor, projectId: string, channelId: string) {
  const { project } = await loadProject(deps.db, actor, projectId, "admin");
  const { count } = await deps.db.notificationChannel.deleteMany({ where: { id: channelId, projectId } });
  if (count === 0) throw notFound("Channel");
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    action: "notification.delete",
    targetType: "project",
    targetId: projectId,
    detail: { channelId },
  });
  return { ok: true as const };
}

/** Send a test message through one channel now (admin); records and returns how it went. */
export async function testChannel(deps: ChannelDeps, actor: Actor, projectId: string, channelId: string) {
  const { project } = await loadProject(deps.db, actor, projectId, "admin");
  const channel = await deps.db.notificationChannel.findFirst({ where: { id: channelId, projectId } });
  if (!channel) throw notFound("Channel");
  const outcome: DeployOutcome = {
    status: "test",
    project: project.name,
    service: "",
    serviceId: "",
    deploymentId: "",
    commitSha: null,
    error: null,
    url: `${await dashboardUrl(deps)}/projects/${projectId}`,
  };
  let lastStatus = "sent";
  try {
    await sendNotification({ kind: channel.kind, target: deps.box.open(channel.target) }, outcome, deps.mailer, {
      allowLocal: (await getSettings(deps.db)).allowLocalSources,
    });
  } catch (err) {
    lastStatus = deliveryStatus(err);
    deps.log.warn({ channelId, err: String(err) }, "test notification not delivered");
  }
  await deps.db.notificationChannel.update({ where: { id: channel.id }, data: { lastStatus, lastAt: new Date() } });
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    action: "notification.test",
    targetType: "project",
    targetId: projectId,
    detail: { channelId, lastStatus },
  });
  // Delivered or not: never the receiver's status code or a network reason (no port scanner).
  return { delivered: lastStatus === "sent", lastStatus };
}
