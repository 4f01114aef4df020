/**
 * The team overview: every project and service with its live status (from the engine's
 * containers, recent engine events and the last deployment), the last deployment of each,
 * and what needs attention first (failed deploys, crash loops, OOM kills, disk pressure).
 */
import type { Deps } from "../deps.ts";
import { readDiskPressure } from "../host/disk.ts";
import type { CheckedTeam } from "../teams/access.ts";
import { containerViews, statusOf } from "./live-service-status.ts";
import { serviceRows } from "./service-rows.ts";
import { isActiveStatus } from "../deployments/statuses.ts";
import { isDown } from "../reconcile/plan.ts";
import type { Attention, LiveStatus } from "./service-status.ts";

/** The overview of a team the caller may view (teamProcedure checked the role). */
export async function getTeamOverview(deps: Pick<Deps, "db" | "engine" | "env" | "engineWatch" | "log" | "box">, team: CheckedTeam) {
  const teamId = team.id;
  const [rows, containers, disk] = await Promise.all([
    serviceRows(deps.db, { teamId }),
    containerViews(deps, { teamId }),
    readDiskPressure(deps).catch((err: unknown) => {
      deps.log.debug({ err: String(err) }, "disk usage unavailable for the overview");
      return null;
    }),
  ]);

  const attention: Array<Attention & { serviceId: string | null; serviceName: string | null; projectName: string | null }> = [];
  const counts: Partial<Record<LiveStatus, number>> = {};
  const projects = new Map<string, { id: string; name: string; serviceCount: number }>();
  const services = [];
  /** Services that should run and do not (the one answer /healthz counts, reconcile/plan.ts isDown). */
  const down: Array<{ id: string; name: string; projectName: string }> = [];
  for (const r of rows) {
    const project = projects.get(r.projectId) ?? { id: r.projectId, name: r.projectName, serviceCount: 0 };
    projects.set(r.projectId, project);
    if (r.id === null || r.name === null) continue;
    project.serviceCount += 1;
    const derived = statusOf(
      deps,
      {
        id: r.id,
        desiredState: r.desiredState ?? "running",
        latest: r.lastStatus ? { status: r.lastStatus, error: r.lastError } : null,
        liveDeploymentId: r.liveId,
      },
      containers,
    );
    counts[derived.status] = (counts[derived.status] ?? 0) + 1;
    const deploying = r.lastStatus !== null && isActiveStatus(r.lastStatus);
    if (
      containers.byService &&
      !containers.unknown?.has(r.id) &&
      isDown({ desiredState: r.desiredState ?? "running", deploying, liveDeploymentId: r.liveId }, containers.byService.get(r.id) ?? [])
    ) {
      down.push({ id: r.id, name: r.name, projectName: r.projectName });
    }
    for (const a of derived.attention) attention.push({ ...a, serviceId: r.id, serviceName: r.name, projectName: r.projectName });
    services.push({
      id: r.id,
      name: r.name,
      projectId: r.projectId,
      projectName: r.projectName,
      source: r.sourceType === "git" ? (r.gitUrl ?? "") : (r.image ?? ""),
      status: derived.status,
      restartCount: derived.restartCount,
      attention: derived.attention,
      lastDeployment:
        r.lastId && r.lastStatus && r.lastCreatedAt
          ? { id: r.lastId, status: r.lastStatus, error: r.lastError, createdAt: r.lastCreatedAt, finishedAt: r.lastFinishedAt }
          : null,
    });
  }
  if (disk?.pressure) {
    attention.unshift({
      kind: "disk_pressure",
      message: `Host disk ${disk.usedPercent}% full (warning at ${disk.warnPercent}%)`,
      serviceId: null,
      serviceName: null,
      projectName: null,
    });
  }
  return {
    teamId,
    generatedAt: new Date(),
    projects: [...projects.values()],
    services,
    attention,
    counts,
    down,
    disk: disk ? { usedPercent: disk.usedPercent, warnPercent: disk.warnPercent, pressure: disk.pressure } : null,
    engineError: containers.error,
  };
}
