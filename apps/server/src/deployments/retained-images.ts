/**
 * The images a service keeps: those of its last `BERTH_RETAIN_RELEASES` releases (what rollback
 * can reach; a job, which records no release, its last succeeded runs) and of its queued or
 * in-flight deployments (a queued rollback's image). One rule for the retention after each
 * deployment (image-retention.ts) and the instance owner's "Reclaim space" (host/host.ts).
 */
import { buildReleaseImageRef } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { buildRepository } from "./build-stage.ts";
import { ACTIVE_STATUSES } from "./statuses.ts";

export interface KeptDeployment {
  /** The deployment's image (a build's `berth-build/<service>:<deployment>`, or the user's). */
  image: string;
  id: string;
}

export async function keptDeployments(db: Deps["db"], service: { id: string; job: boolean }, keep: number): Promise<KeptDeployment[]> {
  const serviceId = service.id;
  const [releases, active] = await Promise.all([
    service.job
      ? db.deployment.findMany({
          where: { serviceId, status: "succeeded" },
          orderBy: { createdAt: "desc" },
          take: keep,
          select: { image: true, id: true },
        })
      : db.release
          .findMany({ where: { serviceId }, orderBy: { number: "desc" }, take: keep, select: { image: true, deploymentId: true } })
          .then((rows) => rows.map((r) => ({ image: r.image, id: r.deploymentId }))),
    db.deployment.findMany({
      where: { serviceId, status: { in: [...ACTIVE_STATUSES, "queued"] } },
      select: { image: true, id: true },
    }),
  ]);
  return [...releases, ...active];
}

/** A service's two image repositories and the tags it keeps in them (its builds, its release tags). */
export function keptTags(serviceId: string, kept: readonly KeptDeployment[]): { repositories: string[]; keepTags: string[] } {
  const builds = buildRepository(serviceId);
  const releases = buildReleaseImageRef(serviceId, "x").repository;
  return {
    repositories: [builds, releases],
    keepTags: [
      ...kept.map((d) => d.image).filter((image) => image.startsWith(`${builds}:`)),
      ...kept.map((d) => buildReleaseImageRef(serviceId, d.id).ref),
    ],
  };
}
