import { hostname } from "node:os";
import type { Db } from "@berth/db";
import type { Env } from "../config/env.ts";
import { ACTIVE_STATUSES } from "./statuses.ts";

/**
 * Deployments belong to the control-plane process that claimed them. Several processes may
 * share one database (the web process and worker-main.ts, or two Berth processes): each names
 * itself, stamps the deployments it claims with its name and a lease it renews while they run,
 * and ends only deployments whose lease has lapsed (their process died or lost the database) --
 * never one another process is still running.
 */
export interface DeploymentLease {
  workerName: string;
  seconds: number;
}

export const LAPSED_REASON = "The Berth process running this deployment stopped (its lease lapsed); the previous release kept serving";

/** This process's name: BERTH_WORKER_NAME, else <hostname>:<role> (role: the HTTP port, or "worker"). */
export function workerNameOf(env: Pick<Env, "BERTH_WORKER_NAME">, role: string): string {
  return env.BERTH_WORKER_NAME ?? `${hostname()}:${role}`;
}

/** Extend the lease of the deployments this worker still runs. */
export async function renewLeases(db: Db, lease: DeploymentLease, deploymentIds: string[]): Promise<void> {
  if (deploymentIds.length === 0) return;
  await db.$executeRaw`
    UPDATE deployment SET "leaseUntil" = now() + make_interval(secs => ${lease.seconds})
    WHERE id = ANY(${deploymentIds}::text[]) AND "workerName" = ${lease.workerName}
      AND status IN ('cloning', 'building', 'releasing')`;
}

/**
 * End deployments in progress whose lease has lapsed (ids returned). Rows without a lease
 * (claimed before leases existed) are left to boot recovery.
 */
export async function endLapsedDeployments(db: Db): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE deployment SET status = 'failed', error = ${LAPSED_REASON}, "finishedAt" = now()
    WHERE status IN ('cloning', 'building', 'releasing') AND "leaseUntil" < now()
    RETURNING id`;
  return rows.map((r) => r.id);
}

/**
 * At boot: which deployments in progress are this process's to end -- its own from before the
 * restart (same name), lapsed ones, and ones claimed before leases existed.
 */
export function endableAtBoot(workerName: string) {
  return {
    status: { in: [...ACTIVE_STATUSES] },
    OR: [{ workerName }, { leaseUntil: null }, { leaseUntil: { lt: new Date() } }],
  };
}
