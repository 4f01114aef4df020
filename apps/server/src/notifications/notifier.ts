import type { Deps } from "../deps.ts";
import { getSettings } from "../instance/settings.ts";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import { redact, redactionNeedles } from "../secrets/redaction.ts";
import { type DeployOutcome, deliveryStatus, sendNotification } from "./send.ts";
import { dashboardUrl } from "../instance/dashboard-domain.ts";

export type NotifyDeps = Pick<Deps, "db" | "env" | "log" | "events" | "mailer" | "box">;

const NOTIFIED = new Set(["succeeded", "failed", "timed_out"]);

/** Send a finished deployment's outcome to its project's channels; each channel records how it went. */
export async function notifyDeployment(deps: NotifyDeps, deploymentId: string): Promise<void> {
  const d = await deps.db.deployment.findUnique({
    where: { id: deploymentId },
    select: {
      id: true,
      status: true,
      error: true,
      commitSha: true,
      service: { select: { id: true, name: true, projectId: true, project: { select: { name: true } } } },
    },
  });
  if (!d || !NOTIFIED.has(d.status)) return;
  const box = deps.box;
  const { secretValues } = await resolveDeployEnv(deps.db, box, { projectId: d.service.projectId, serviceId: d.service.id });
  const outcome: DeployOutcome = {
    status: d.status as DeployOutcome["status"],
    project: d.service.project.name,
    service: d.service.name,
    serviceId: d.service.id,
    deploymentId: d.id,
    commitSha: d.commitSha,
    error: d.error ? redact(d.error, redactionNeedles(secretValues)).slice(0, 1000) : null,
    url: `${await dashboardUrl(deps)}/services/${d.service.id}`,
  };
  await deliverToChannels(deps, d.service.projectId, d.status === "succeeded" ? "success" : "failure", outcome);
}

/** Tell the project's channels (those that want failures) that a database backup failed. */
export async function notifyBackupFailure(deps: Omit<NotifyDeps, "events">, serviceId: string, error: string): Promise<void> {
  const s = await deps.db.service.findUnique({
    where: { id: serviceId },
    select: { id: true, name: true, projectId: true, project: { select: { name: true } } },
  });
  if (!s) return;
  const outcome: DeployOutcome = {
    status: "backup_failed",
    project: s.project.name,
    service: s.name,
    serviceId: s.id,
    deploymentId: "",
    commitSha: null,
    error: error.slice(0, 1000),
    url: `${await dashboardUrl(deps)}/services/${s.id}`,
  };
  await deliverToChannels(deps, s.projectId, "failure", outcome);
}

/** Send an outcome to the project's channels that want it; each channel records how it went. */
export async function deliverToChannels(
  deps: Omit<NotifyDeps, "events">,
  projectId: string,
  kind: "success" | "failure",
  outcome: DeployOutcome,
): Promise<void> {
  const channels = await deps.db.notificationChannel.findMany({
    where: { projectId, ...(kind === "success" ? { onSuccess: true } : { onFailure: true }) },
  });
  if (channels.length === 0) return;
  const box = deps.box;
  const { allowLocalSources } = await getSettings(deps.db);
  await Promise.all(
    channels.map(async (channel) => {
      let lastStatus = "sent";
      try {
        await sendNotification({ kind: channel.kind, target: box.open(channel.target) }, outcome, deps.mailer, {
          allowLocal: allowLocalSources,
        });
      } catch (err) {
        lastStatus = deliveryStatus(err);
        deps.log.warn({ channelId: channel.id, serviceId: outcome.serviceId, err: String(err) }, "notification not delivered");
      }
      await deps.db.notificationChannel.update({ where: { id: channel.id }, data: { lastStatus, lastAt: new Date() } });
    }),
  );
}

/**
 * Notify on every deployment this process finished (its worker publishes the final status).
 * Statuses relayed from another process are that process' to notify: with the web server and
 * a separate worker both running, each outcome is still sent once.
 */
export function attachNotifier(deps: NotifyDeps): () => void {
  return deps.events.onStatus((event) => {
    if (!NOTIFIED.has(event.status) || event.remote) return;
    notifyDeployment(deps, event.deploymentId).catch((err: unknown) =>
      deps.log.error({ deploymentId: event.deploymentId, err: String(err) }, "notifications failed"),
    );
  });
}
