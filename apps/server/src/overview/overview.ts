/**
 * The team overview: every project and service with its live status (from the engine's
 * containers, recent engine events and the last deployment), the last deployment of each,
 * and what needs attention first (failed deploys, crash loops, OOM kills, disk pressure).
 */
import type { ManagedContainer } from "@berth/engine";
import { isEngineError } from "@berth/engine";
import type { DeploymentStatus } from "@berth/db";
import type { Deps } from "../deps.ts";
import { readHostDisk } from "../host/disk.ts";
import { type Actor, requireTeamRole } from "../teams/access.ts";
import { deriveServiceStatus, type Attention, type ContainerView, type LiveStatus } from "./service-status.ts";

interface LatestRow {
  serviceId: string;
  id: string;
  status: DeploymentStatus;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** Containers whose exit reason (OOM) is read per overview, at most. */
const MAX_INSPECTED = 20;
const NO_EVENTS = { dies: 0, lastOomAt: null };

async function latestDeployments(db: Deps["db"], serviceIds: string[]) {
  if (serviceIds.length === 0) return { latest: new Map<string, LatestRow>(), live: new Map<string, string>() };
  const [latest, live] = await Promise.all([
    db.$queryRaw<LatestRow[]>`SELECT DISTINCT ON ("serviceId") "serviceId", id, status::text AS status, error, "createdAt", "finishedAt"
      FROM deployment WHERE "serviceId" = ANY(${serviceIds}::text[]) ORDER BY "serviceId", "createdAt" DESC`,
    db.$queryRaw<Array<{ serviceId: string; id: string }>>`SELECT DISTINCT ON ("serviceId") "serviceId", id
      FROM deployment WHERE "serviceId" = ANY(${serviceIds}::text[]) AND status = 'succeeded' ORDER BY "serviceId", "finishedAt" DESC NULLS LAST, "createdAt" DESC`,
  ]);
  return { latest: new Map(latest.map((r) => [r.serviceId, r])), live: new Map(live.map((r) => [r.serviceId, r.id])) };
}

async function teamContainers(deps: Pick<Deps, "engine">, teamId: string): Promise<{ byService: Map<string, ContainerView[]> | null; error: string | null }> {
  let all: ManagedContainer[];
  try {
    all = (await deps.engine.listManaged()).filter((c) => c.owner.teamId === teamId);
  } catch (err) {
    return { byService: null, error: isEngineError(err) ? err.message : "The Docker Engine could not be asked" };
  }
  const byService = new Map<string, ContainerView[]>();
  let inspected = 0;
  for (const c of all) {
    const view: ContainerView = { deploymentId: c.deploymentId, state: c.state, restartCount: c.restartCount };
    // Why a container stopped or restarts (OOM) is only in its inspect data.
    if ((c.state === "exited" || c.state === "restarting" || c.state === "dead") && inspected++ < MAX_INSPECTED) {
      view.oomKilled = await deps.engine.containerStatus(c.containerId).then((s) => s.oomKilled, () => false);
    }
    byService.set(c.owner.serviceId, [...(byService.get(c.owner.serviceId) ?? []), view]);
  }
  return { byService, error: null };
}

export async function getTeamOverview(deps: Pick<Deps, "db" | "engine" | "env" | "engineWatch" | "log">, actor: Actor, teamId: string) {
  await requireTeamRole(deps.db, actor, teamId, "viewer");
  const projects = await deps.db.project.findMany({
    where: { teamId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, services: { orderBy: { name: "asc" }, select: { id: true, name: true, desiredState: true, sourceType: true, image: true, gitUrl: true } } },
  });
  const serviceIds = projects.flatMap((p) => p.services.map((s) => s.id));
  const [{ latest, live }, containers, disk] = await Promise.all([
    latestDeployments(deps.db, serviceIds),
    teamContainers(deps, teamId),
    readHostDisk(deps).catch((err: unknown) => {
      deps.log.debug({ err: String(err) }, "disk usage unavailable for the overview");
      return null;
    }),
  ]);

  const attention: Array<Attention & { serviceId: string | null; serviceName: string | null; projectName: string | null }> = [];
  const counts: Partial<Record<LiveStatus, number>> = {};
  const services = projects.flatMap((p) =>
    p.services.map((s) => {
      const last = latest.get(s.id) ?? null;
      const derived = deriveServiceStatus({
        desiredState: s.desiredState,
        latest: last ? { status: last.status, error: last.error } : null,
        liveDeploymentId: live.get(s.id) ?? null,
        containers: containers.byService === null ? null : containers.byService.get(s.id) ?? [],
        events: deps.engineWatch?.recent(s.id) ?? NO_EVENTS,
      });
      counts[derived.status] = (counts[derived.status] ?? 0) + 1;
      for (const a of derived.attention) attention.push({ ...a, serviceId: s.id, serviceName: s.name, projectName: p.name });
      return {
        id: s.id,
        name: s.name,
        projectId: p.id,
        projectName: p.name,
        source: s.sourceType === "git" ? (s.gitUrl ?? "") : s.image,
        status: derived.status,
        restartCount: derived.restartCount,
        attention: derived.attention,
        lastDeployment: last ? { id: last.id, status: last.status, error: last.error, createdAt: last.createdAt, finishedAt: last.finishedAt } : null,
      };
    }),
  );
  if (disk?.pressure) {
    attention.unshift({ kind: "disk_pressure", message: `Host disk ${disk.usedPercent}% full (warning at ${disk.warnPercent}%)`, serviceId: null, serviceName: null, projectName: null });
  }
  return {
    teamId,
    generatedAt: new Date(),
    projects: projects.map((p) => ({ id: p.id, name: p.name, serviceCount: p.services.length })),
    services,
    attention,
    counts,
    disk: disk ? { usedPercent: disk.usedPercent, warnPercent: disk.warnPercent, pressure: disk.pressure } : null,
    engineError: containers.error,
  };
}
