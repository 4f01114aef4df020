/**
 * What the reconciler compares on one engine (Berth's own, or a standalone server's): the desired
 * state and live release (Postgres) of every service placed there, and Berth's containers on that
 * engine. The engine is read first: a deployment that finishes in between is then seen as live,
 * never its new container as a stray.
 */
import type { ContainerEngine } from "@berth/engine";
import type { Deps } from "../deps.ts";
import type { DesiredService, Observation, ObservedContainer } from "./plan.ts";

/** An engine the reconciler keeps, and which services' placement it holds. */
export interface ReconcileTarget {
  /** Null: Berth's own engine (services on this server); else the standalone server's id. */
  serverId: string | null;
  engine: ContainerEngine;
}

/** Berth's own engine as a target. */
export function ownEngine(deps: Pick<Deps, "engine">): ReconcileTarget {
  return { serverId: null, engine: deps.engine };
}

interface Row {
  id: string;
  name: string;
  teamId: string;
  projectId: string;
  desiredState: "running" | "stopped";
  deploying: boolean;
  liveId: string | null;
  /** From the live release's snapshot (release.config, else deployment.config); null without one. */
  replicas: string | null;
  hasSnapshot: boolean;
}

/**
 * Every service with its live release; of the snapshot only what the plan needs (the sealed
 * environment and settings stay in the database until a recreate opens them).
 */
function desiredServices(db: Deps["db"], serverId: string | null): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT s.id, s.name, p."teamId", s."projectId", s."desiredState"::text AS "desiredState",
           EXISTS (SELECT 1 FROM deployment a WHERE a."serviceId" = s.id AND a.status IN ('cloning', 'building', 'releasing')) AS deploying,
           live.id AS "liveId", snap.config->>'replicas' AS replicas, snap.config IS NOT NULL AS "hasSnapshot"
    FROM service s
    JOIN project p ON p.id = s."projectId"
    LEFT JOIN LATERAL (SELECT id, config FROM deployment d WHERE d."serviceId" = s.id AND d.status = 'succeeded' ORDER BY d."finishedAt" DESC NULLS LAST, d."createdAt" DESC LIMIT 1) live ON true
    LEFT JOIN release r ON r."deploymentId" = live.id
    LEFT JOIN LATERAL (
      -- deployment.config defaults to {} (no snapshot: rows from before snapshots existed)
      SELECT CASE WHEN jsonb_typeof(r.config) = 'object' AND r.config <> '{}'::jsonb THEN r.config
                  WHEN jsonb_typeof(live.config) = 'object' AND live.config <> '{}'::jsonb THEN live.config END AS config
    ) snap ON true
    -- A service on the cluster is Swarm's to keep running (its tasks are not containers here).
    WHERE s.placement = 'server' AND s."serverId" IS NOT DISTINCT FROM ${serverId}`;
}

/** Containers per release, as its snapshot says (1 for snapshots from before replicas). */
function replicasOf(value: string | null): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

function toDesired(row: Row): DesiredService {
  return {
    id: row.id,
    name: row.name,
    teamId: row.teamId,
    projectId: row.projectId,
    desiredState: row.desiredState,
    deploying: row.deploying,
    live: row.liveId === null ? null : { deploymentId: row.liveId, replicas: replicasOf(row.replicas), recreatable: row.hasSnapshot },
  };
}

export async function observe(deps: Pick<Deps, "db">, target: ReconcileTarget): Promise<Observation> {
  const containers: ObservedContainer[] = (await target.engine.listManaged()).map((c) => ({
    containerId: c.containerId,
    containerName: c.containerName,
    teamId: c.owner.teamId,
    serviceId: c.owner.serviceId,
    deploymentId: c.deploymentId,
    state: c.state,
  }));
  const teamIds = [...new Set(containers.map((c) => c.teamId))];
  const [rows, teams] = await Promise.all([
    desiredServices(deps.db, target.serverId),
    deps.db.team.findMany({ where: { id: { in: teamIds } }, select: { id: true } }),
  ]);
  return { services: rows.map(toDesired), containers, knownTeams: new Set(teams.map((t) => t.id)) };
}
