/** Host use cases for the instance owner: live metrics history, disk use, and reclaiming space. */
import { z } from "zod";
import { recordAudit } from "../audit/audit.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { metricsHistory } from "../metrics/service-metrics.ts";
import type { Actor } from "../teams/access.ts";
import { readHostDisk } from "./disk.ts";
import { keptDeployments, keptTags } from "../deployments/retained-images.ts";

export const reclaimInput = z.object({ dryRun: z.boolean() });

function requireInstanceOwner(actor: Actor): void {
  if (actor.instanceRole !== "owner" || actor.token) throw new DomainError("FORBIDDEN", "Only the instance owner can do this");
}

export async function getHostMetrics(deps: Pick<Deps, "db" | "metrics">, actor: Actor) {
  requireInstanceOwner(actor);
  return { history: await metricsHistory(deps, null) };
}

export async function getHostDisk(deps: Pick<Deps, "engine" | "env">, actor: Actor) {
  requireInstanceOwner(actor);
  return readHostDisk(deps);
}

/** Every service's repositories and the tags each keeps (retained-images.ts): what reclaiming leaves. */
async function instanceRetention(deps: Pick<Deps, "db" | "env">): Promise<{ repositories: string[]; keepTags: string[] }> {
  const services = await deps.db.service.findMany({ select: { id: true, job: true } });
  const each = await Promise.all(
    services.map(async (s) => keptTags(s.id, await keptDeployments(deps.db, s, deps.env.BERTH_RETAIN_RELEASES))),
  );
  return { repositories: each.flatMap((e) => e.repositories), keepTags: each.flatMap((e) => e.keepTags) };
}

/**
 * Reclaim space: Berth's images beyond the retention (each service's last BERTH_RETAIN_RELEASES
 * releases and its deployments in flight, as after each deployment), dangling images and build
 * cache unused for 24 h. Images of repositories no service of this instance owns (another Berth
 * on the same engine) are left alone. `dryRun` lists exactly what a real run removes. Never volumes.
 */
export async function reclaimSpace(deps: Pick<Deps, "db" | "engine" | "env">, actor: Actor, input: z.infer<typeof reclaimInput>) {
  requireInstanceOwner(actor);
  const result = await deps.engine.reclaimSpace({ dryRun: input.dryRun, retain: await instanceRetention(deps) });
  if (!input.dryRun) {
    await recordAudit(deps.db, actor, {
      teamId: null,
      action: "host.reclaim",
      targetType: "host",
      detail: {
        images: result.images.length,
        buildCache: result.buildCache.length,
        freedBytes: result.freedBytes,
        failures: result.failures.length,
      },
    });
  }
  return {
    dryRun: result.dryRun,
    images: result.images.map((i) => ({
      id: i.id.replace(/^sha256:/, "").slice(0, 12),
      tags: i.tags,
      sizeBytes: i.sizeBytes,
      reason: i.reason,
    })),
    buildCache: { count: result.buildCache.length, sizeBytes: result.buildCache.reduce((n, c) => n + c.sizeBytes, 0) },
    totalBytes: result.totalBytes,
    freedBytes: result.freedBytes,
    failures: result.failures,
  };
}
