/**
 * What the reconciler compares: every service's desired state and live release (Postgres) and
 * Berth's containers (the engine). The engine is read first: a deployment that finishes in
 * between is then seen as live, never its new container as a stray.
 */
import type { Deps } from "../deps.ts";
import type { DesiredService, Observation, ObservedContainer } from "./plan.ts";

interface Row {
  id: string;
  name: string;
  teamId: string;
  projectId: string;
  desiredState: "running" | "stopped";
  deploying: boolean;
  liveId: string | null;
  liveConfig: unknown;
  releaseConfig: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Containers per release, as its snapshot says (1 for snapshots from before replicas). */
function replicasOf(snapshot: unknown): number {
  return isObject(snapshot) && typeof snapshot.replicas === "number" && snapshot.replicas >= 1 ? snapshot.replicas : 1;
}

function desiredServices(db: Deps["db"]): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT s.id, s.name, p."teamId", s."projectId", s."desiredState"::text AS "desiredState",
           EXISTS (SELECT 1 FROM deployment a WHERE a."serviceId" = s.id AND a.status IN ('cloning', 'building', 'releasing')) AS deploying,
           live.id AS "liveId", live.config AS "liveConfig", r.config AS "releaseConfig"
    FROM service s
    JOIN project p ON p.id = s."projectId"
    LEFT JOIN LATERAL (SELECT id, config FROM deployment d WHERE d."serviceId" = s.id AND d.status = 'succeeded' ORDER BY d."finishedAt" DESC NULLS LAST, d."createdAt" DESC LIMIT 1) live ON true
    LEFT JOIN release r ON r."deploymentId" = live.id`;
}

function toDesired(row: Row): DesiredService {
  const snapshot = isObject(row.releaseConfig) ? row.releaseConfig : row.liveConfig;
  return {
    id: row.id,
    name: row.name,
    teamId: row.teamId,
    projectId: row.projectId,
    desiredState: row.desiredState,
    deploying: row.deploying,
    live: row.liveId === null ? null : { deploymentId: row.liveId, replicas: replicasOf(snapshot), recreatable: isObject(snapshot) },
  };
}

export async function observe(deps: Pick<Deps, "db" | "engine">): Promise<Observation> {
  const containers: ObservedContainer[] = (await deps.engine.listManaged()).map((c) => ({
    containerId: c.containerId,
    containerName: c.containerName,
    teamId: c.owner.teamId,
    serviceId: c.owner.serviceId,
    deploymentId: c.deploymentId,
    state: c.state,
  }));
  const teamIds = [...new Set(containers.map((c) => c.teamId))];
  const [rows, teams] = await Promise.all([desiredServices(deps.db), deps.db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true } })]);
  return { services: rows.map(toDesired), containers, knownTeams: new Set(teams.map((t) => t.id)) };
}
