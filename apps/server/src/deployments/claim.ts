import type { Db } from "@berth/db";
import type { DeploymentLease } from "./lease.ts";

/**
 * Advisory lock key that serialises claims across control-plane processes, and the
 * reconciler's lease on a service with them (reconcile/lease.ts).
 */
export const CLAIM_LOCK = 4_242_001;

/**
 * A claimed deployment, with its service's project and team (its status events carry the team;
 * the run reads the service, its variables and the deployment side by side with them).
 */
export interface ClaimedDeployment {
  id: string;
  serviceId: string;
  projectId: string;
  teamId: string;
  status: "cloning" | "releasing";
  /** Another deployment was queued when this one was claimed: worth claiming again at once. */
  more: boolean;
}

/**
 * How many deployments may be in progress at once: a fixed number, or the instance's build
 * concurrency setting (read by the claim itself: no round trip before it), `fallback` when unset.
 */
export type ClaimLimit = { fixed: number } | { fallback: number };

/**
 * Claim the oldest queued deployment whose service has none in progress, if fewer than
 * `limit` deployments are in progress overall (the global build concurrency), and move it to
 * its first stage in the same transaction: `cloning` for git builds, `releasing` for images
 * and rollbacks. SKIP LOCKED + an advisory lock keep concurrent claimers correct.
 * `busyServiceIds`: services whose deployment this worker still finishes after it was
 * recorded (retiring the old release, image retention): not claimed until that is done.
 * A service the reconciler is repairing (`reconcilingUntil` in the future) waits too.
 * The claim carries the worker's name and a lease (deployments/lease.ts) the worker renews.
 * Lock and claim go as one batch (one request to the database, two statements: the claim's
 * snapshot is taken after the lock is held, so it sees every claim committed before).
 * `more` says whether the caller should look again: most claims take the only queued one, and
 * a second empty claim would run beside the deployment's first steps for nothing.
 */
export async function claimNextDeployment(
  db: Db,
  limit: ClaimLimit,
  busyServiceIds: string[],
  lease: DeploymentLease,
): Promise<ClaimedDeployment | null> {
  const fixed = "fixed" in limit ? limit.fixed : null;
  const fallback = "fallback" in limit ? limit.fallback : null;
  const [, rows] = await db.$transaction([
    db.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK}::bigint)`,
    db.$queryRaw<ClaimedDeployment[]>`
      UPDATE deployment d SET
        status = (CASE WHEN d."rollbackOfId" IS NULL AND s."sourceType" = 'git' THEN 'cloning' ELSE 'releasing' END)::"DeploymentStatus",
        "startedAt" = now(),
        "stageStartedAt" = now(),
        "workerName" = ${lease.workerName},
        "leaseUntil" = now() + make_interval(secs => ${lease.seconds})
      FROM service s, project p
      WHERE s.id = d."serviceId" AND p.id = s."projectId" AND d.id = (
        SELECT q.id FROM deployment q
        WHERE q.status = 'queued'
          AND NOT (q."serviceId" = ANY(${busyServiceIds}::text[]))
          AND NOT EXISTS (SELECT 1 FROM service r WHERE r.id = q."serviceId" AND r."reconcilingUntil" > now())
          AND NOT EXISTS (
            SELECT 1 FROM deployment x WHERE x."serviceId" = q."serviceId" AND x.status IN ('cloning', 'building', 'releasing')
          )
          AND (SELECT count(*) FROM deployment a WHERE a.status IN ('cloning', 'building', 'releasing'))
            < COALESCE(${fixed}::int, (SELECT "buildConcurrency" FROM instance_settings WHERE id = 1), ${fallback}::int)
        ORDER BY q."createdAt"
        FOR UPDATE SKIP LOCKED
        LIMIT 1
      )
      RETURNING d.id, d."serviceId", p.id AS "projectId", p."teamId", d.status::text AS status,
        EXISTS (SELECT 1 FROM deployment m WHERE m.status = 'queued' AND m.id <> d.id) AS more`,
  ]);
  return rows[0] ?? null;
}
