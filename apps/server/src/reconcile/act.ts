/**
 * Carry out one planned action under the service's lease, then say what was done and why:
 * in the service's event list and in the team's audit log (actor: system).
 */
import { engineMessage } from "@berth/engine";
import { recordAudit } from "../audit/audit.ts";
import type { Deps } from "../deps.ts";
import { recordServiceEvent, type ServiceEventKind } from "../service-events/service-events.ts";
import { releaseLease, takeLease } from "./lease.ts";
import type { Action, DesiredService } from "./plan.ts";
import { recreateRelease } from "./recreate.ts";

export type ActDeps = Pick<Deps, "db" | "engine" | "env" | "log" | "proxy" | "box">;

/** What came of an action: done, skipped (the world changed since the plan), or failed. */
export type Outcome = "done" | "skipped" | "failed";

interface Report {
  service: Pick<DesiredService, "id" | "name" | "teamId"> | null;
  kind: ServiceEventKind;
  message: string;
  detail: Record<string, string>;
}

async function report(deps: ActDeps, r: Report): Promise<void> {
  if (r.service === null) return;
  if (r.kind !== "reconcile.remove" || r.detail.serviceExists !== "false")
    await recordServiceEvent(deps.db, { serviceId: r.service.id, kind: r.kind, message: r.message, detail: r.detail });
  await recordAudit(deps.db, null, {
    teamId: r.service.teamId,
    action: "service.reconcile",
    targetType: "service",
    targetId: r.service.id,
    detail: { name: r.service.name, action: r.kind.replace("reconcile.", ""), message: r.message, ...r.detail },
  });
}

async function repair(deps: ActDeps, action: Extract<Action, { kind: "start" | "recreate" }>, service: DesiredService): Promise<Outcome> {
  const lease = await takeLease(deps.db, action.serviceId);
  if (lease === null) return "skipped";
  try {
    // The user may have stopped it, or a deployment finished, since the plan was made.
    if (lease.desiredState !== "running" || lease.liveDeploymentId !== action.deploymentId) return "skipped";
    const detail = { deploymentId: action.deploymentId, reason: action.reason };
    if (action.kind === "start") {
      try {
        const started = await deps.engine.startService(action.serviceId);
        await report(deps, {
          service,
          kind: "reconcile.start",
          message: `Started ${started.map((c) => c.containerName).join(", ")}: ${lowerFirst(action.reason)}`,
          detail,
        });
        return "done";
      } catch (err) {
        // e.g. its network is gone: recreating the release makes the network again.
        deps.log.warn({ serviceId: action.serviceId, err: engineMessage(err) }, "reconcile: start failed; recreating the release");
        return await recreate(deps, { ...action, reason: `${action.reason}, and starting it failed (${engineMessage(err)})` }, service);
      }
    }
    return await recreate(deps, action, service);
  } finally {
    await releaseLease(deps.db, action.serviceId);
  }
}

async function recreate(
  deps: ActDeps,
  action: { serviceId: string; deploymentId: string; reason: string },
  service: DesiredService,
): Promise<Outcome> {
  const detail = { deploymentId: action.deploymentId, reason: action.reason };
  try {
    const { containers } = await recreateRelease(deps, action.serviceId, action.deploymentId);
    await report(deps, {
      service,
      kind: "reconcile.recreate",
      message: `Recreated ${containers.join(", ")} from its release: ${lowerFirst(action.reason)}`,
      detail,
    });
    return "done";
  } catch (err) {
    await report(deps, {
      service,
      kind: "reconcile.failed",
      message: `Could not bring the live release back: ${engineMessage(err)}`,
      detail,
    });
    return "failed";
  }
}

async function remove(deps: ActDeps, action: Extract<Action, { kind: "remove" }>, service: DesiredService | null): Promise<Outcome> {
  const lease = action.serviceExists ? await takeLease(deps.db, action.serviceId) : null;
  if (action.serviceExists && lease === null) return "skipped";
  try {
    if (lease !== null && lease.liveDeploymentId === action.deploymentId) return "skipped";
    await deps.engine.removeContainer(action.containerId);
    const detail = {
      container: action.containerName,
      deploymentId: action.deploymentId,
      reason: action.reason,
      serviceExists: String(action.serviceExists),
    };
    await report(deps, {
      service: service ?? { id: action.serviceId, name: action.containerName, teamId: action.teamId },
      kind: "reconcile.remove",
      message: `Removed ${action.containerName}: ${lowerFirst(action.reason)}`,
      detail,
    });
    return "done";
  } finally {
    if (lease !== null) await releaseLease(deps.db, action.serviceId);
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** Make the project's network when someone removed it; said only when it was made. */
async function ensureNetwork(
  deps: ActDeps,
  action: Extract<Action, { kind: "network" }>,
  service: DesiredService | null,
): Promise<Outcome> {
  const made = await deps.engine.ensureProjectNetwork({ teamId: action.teamId, projectId: action.projectId });
  if (!made) return "skipped";
  await report(deps, {
    service,
    kind: "reconcile.network",
    message: `Created the project's network again: ${lowerFirst(action.reason)}`,
    detail: { projectId: action.projectId, reason: action.reason },
  });
  return "done";
}

export async function act(deps: ActDeps, action: Exclude<Action, { kind: "wait" }>, service: DesiredService | null): Promise<Outcome> {
  if (action.kind === "remove") return remove(deps, action, service);
  if (action.kind === "network") return ensureNetwork(deps, action, service);
  if (service === null) return "skipped";
  return repair(deps, action, service);
}

/**
 * A broken service the reconciler may not repair now: backing off after repairs that did not
 * hold (a crash loop), or a release with nothing to recreate it from.
 */
export async function reportWaiting(
  deps: ActDeps,
  service: DesiredService,
  wait: Extract<Action, { kind: "wait" }>,
  repairs: number,
): Promise<void> {
  if (wait.until === null) {
    await report(deps, { service, kind: "reconcile.failed", message: wait.reason, detail: { reason: wait.reason } });
    return;
  }
  const at = new Date(wait.until).toISOString().slice(11, 19);
  const message = `${wait.reason}; it stopped again after ${repairs} repair${repairs === 1 ? "" : "s"} in a row, so Berth backs off: next attempt at ${at} UTC`;
  await report(deps, {
    service,
    kind: "reconcile.backoff",
    message,
    detail: { reason: wait.reason, repairs: String(repairs), nextAttemptAt: new Date(wait.until).toISOString() },
  });
}
