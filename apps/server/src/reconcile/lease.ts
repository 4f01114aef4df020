/**
 * The reconciler and the deployment queue never act on one service at once. Both decide under
 * the claim lock: the reconciler takes a lease (`service.reconcilingUntil`) only while no
 * deployment of the service is in progress, and the claim skips a leased service. A lease a
 * crash leaves behind ends by itself.
 */
import type { Deps } from "../deps.ts";
import { CLAIM_LOCK } from "../deployments/claim.ts";
import { findLiveDeployment } from "../deployments/live-release.ts";

/** Longer than any repair (a recreate is health-gated: BERTH_READY_TIMEOUT_S plus a start period). */
const LEASE_SECONDS = 300;

export interface Lease {
  desiredState: "running" | "stopped";
  /** The live release now (it may have changed since the plan was made). */
  liveDeploymentId: string | null;
}

/** Take the service's lease; null when a deployment is in progress, another lease holds, or the service is gone. */
export async function takeLease(db: Deps["db"], serviceId: string): Promise<Lease | null> {
  const taken = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CLAIM_LOCK}::bigint)`;
    const rows = await tx.$queryRaw<{ desiredState: "running" | "stopped" }[]>`
      UPDATE service s SET "reconcilingUntil" = now() + make_interval(secs => ${LEASE_SECONDS})
      WHERE s.id = ${serviceId}
        AND (s."reconcilingUntil" IS NULL OR s."reconcilingUntil" < now())
        AND NOT EXISTS (SELECT 1 FROM deployment a WHERE a."serviceId" = s.id AND a.status IN ('cloning', 'building', 'releasing'))
      RETURNING s."desiredState"::text AS "desiredState"`;
    return rows[0] ?? null;
  });
  if (taken === null) return null;
  // No deployment can start or finish while the lease holds.
  const live = await findLiveDeployment(db, serviceId);
  return { desiredState: taken.desiredState, liveDeploymentId: live?.id ?? null };
}

export async function releaseLease(db: Deps["db"], serviceId: string): Promise<void> {
  await db.service.updateMany({ where: { id: serviceId }, data: { reconcilingUntil: null } });
}
