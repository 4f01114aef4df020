import type { DeploymentStatus } from "@berth/db";
import type { Deps } from "../deps.ts";

/** One row per service (or per empty project): the service, its last and its live deployment. */
export interface ServiceRow {
  projectId: string;
  projectName: string;
  id: string | null;
  name: string | null;
  desiredState: "running" | "stopped" | null;
  sourceType: "image" | "git" | null;
  kind: "web" | "worker" | "tcp" | null;
  containerPort: number | null;
  image: string | null;
  gitUrl: string | null;
  lastId: string | null;
  lastStatus: DeploymentStatus | null;
  lastError: string | null;
  lastCreatedAt: Date | null;
  lastFinishedAt: Date | null;
  liveId: string | null;
}

/**
 * The services of a team (the overview) or of one project (the project page) with their last and
 * live deployment, in one statement: the (serviceId, createdAt) index serves both laterals, where
 * Prisma's nested `take: 1` and `distinct` read every deployment of every service and pick in
 * memory. The live release is the most recent successful deployment (deployments/live-release.ts
 * says the same for one service). Previews are listed on the service they preview, not here.
 */
export function serviceRows(db: Deps["db"], scope: { teamId: string } | { projectId: string }): Promise<ServiceRow[]> {
  const teamId = "teamId" in scope ? scope.teamId : null;
  const projectId = "projectId" in scope ? scope.projectId : null;
  return db.$queryRaw<ServiceRow[]>`
    SELECT p.id AS "projectId", p.name AS "projectName", s.id, s.name, s."desiredState"::text AS "desiredState",
           s."sourceType"::text AS "sourceType", s.kind::text AS kind, s."containerPort", s.image, s."gitUrl",
           l.id AS "lastId", l.status::text AS "lastStatus", l.error AS "lastError", l."createdAt" AS "lastCreatedAt", l."finishedAt" AS "lastFinishedAt",
           live.id AS "liveId"
    FROM project p
    LEFT JOIN service s ON s."projectId" = p.id AND s."previewOfId" IS NULL
    LEFT JOIN LATERAL (SELECT id, status, error, "createdAt", "finishedAt" FROM deployment d WHERE d."serviceId" = s.id ORDER BY d."createdAt" DESC LIMIT 1) l ON true
    LEFT JOIN LATERAL (SELECT id FROM deployment d WHERE d."serviceId" = s.id AND d.status = 'succeeded' ORDER BY d."finishedAt" DESC NULLS LAST, d."createdAt" DESC LIMIT 1) live ON true
    WHERE (${teamId}::text IS NULL OR p."teamId" = ${teamId}) AND (${projectId}::text IS NULL OR p.id = ${projectId})
    ORDER BY p.name, p.id, s.name`;
}
