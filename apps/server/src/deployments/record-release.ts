import { randomUUID } from "node:crypto";
import type { ReleaseInstance } from "@berth/engine";
import { type ReleaseConfig, sealReleaseConfig } from "./release-config.ts";
import { RETIRE_LEASE_S } from "./retire-old-release.ts";
import type { RunContext } from "./run-context.ts";

export interface RecordedRelease {
  config: ReleaseConfig;
  instance: Pick<ReleaseInstance, "hostPort"> & { [K in "containerId" | "imageId" | "repoDigest"]: ReleaseInstance[K] | null };
  number: number;
  releaseMs: number;
  /** The old release is retired after the record: the service stays leased until then (retire-old-release.ts). */
  retiring?: boolean;
}

/**
 * Record the release live: the deployment succeeded (only if it is still `releasing`), the
 * numbered Release with its whole configuration (sealed), and the service's desired state
 * running -- all or nothing (the service's settings did not change: its updatedAt stays). Every
 * log line is stored before, so a viewer that sees the end can read the whole log.
 *
 * One statement (data-modifying CTEs run in one snapshot and commit together; the release and
 * the service change only with the deployment's row) rather than a transaction of three: it is
 * on the path between the release answering and the deployment saying so, and each statement of
 * an interactive transaction is another round trip and more of the client's CPU.
 * Timestamps are UTC like every one Prisma writes (the columns have no time zone); the lease is
 * the database's clock, like every lease (reconcile/lease.ts).
 */
export async function recordRelease(ctx: RunContext, r: RecordedRelease): Promise<void> {
  const { deps, service, deployment, sink } = ctx;
  const { containerId, hostPort, imageId, repoDigest } = r.instance;
  sink.system(`Release ${r.number} is live${imageId ? ` (image ${imageId.slice(0, 19)})` : ""}`);
  await sink.flush();
  const config = JSON.stringify(sealReleaseConfig(r.config, deps.box));
  const retiring = r.retiring ?? false;
  const [row] = await deps.db.$queryRaw<{ recorded: number }[]>`
    WITH done AS (
      UPDATE deployment SET
        status = 'succeeded'::"DeploymentStatus",
        "containerId" = ${containerId}::text,
        "hostPort" = ${hostPort}::int,
        "imageId" = ${imageId}::text,
        "imageDigest" = ${repoDigest}::text,
        "finishedAt" = now() AT TIME ZONE 'UTC',
        error = NULL,
        "releaseMs" = ${r.releaseMs}::int
      WHERE id = ${deployment.id} AND status = 'releasing'
      RETURNING id
    ), released AS (
      INSERT INTO release (id, "serviceId", number, "deploymentId", image, "imageId", "imageDigest", config, "commitSha", "createdAt")
      SELECT ${randomUUID()}, ${service.id}, ${r.number}::int, done.id, ${deployment.image}, ${imageId}::text, ${repoDigest}::text,
        ${config}::jsonb, ${deployment.commitSha}::text, now() AT TIME ZONE 'UTC'
      FROM done
    ), running AS (
      UPDATE service SET
        "desiredState" = 'running',
        "reconcilingUntil" = CASE WHEN ${retiring}::boolean THEN now() + make_interval(secs => ${RETIRE_LEASE_S}) ELSE "reconcilingUntil" END
      WHERE id = ${service.id} AND EXISTS (SELECT 1 FROM done)
    )
    SELECT count(*)::int AS recorded FROM done`;
  if (!row || row.recorded === 0) throw new Error("The deployment was ended elsewhere while it released");
}
