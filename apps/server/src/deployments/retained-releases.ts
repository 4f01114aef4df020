import type { Db } from "@berth/db";
import { type Actor, loadService } from "../teams/access.ts";
import { isRetained } from "./image-retention.ts";

/** A service's releases (each succeeded deployment makes one) that can still be rolled back to (their images kept), newest first; `live` marks the running one. */
export async function listRetainedReleases(deps: { db: Db; env: { BERTH_RETAIN_RELEASES: number } }, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  const [releases, live] = await Promise.all([
    deps.db.release.findMany({
      where: { serviceId },
      orderBy: { number: "desc" },
      take: deps.env.BERTH_RETAIN_RELEASES,
      select: { id: true, number: true, image: true, commitSha: true, createdAt: true, deploymentId: true },
    }),
    deps.db.deployment.findFirst({
      where: { serviceId, status: "succeeded" },
      orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
      select: { id: true, release: { select: { id: true } } },
    }),
  ]);
  const newest = releases[0]?.number ?? 0;
  const liveReleaseId = live?.release?.id ?? null;
  return releases
    .filter((r) => isRetained(r.number, newest, deps.env.BERTH_RETAIN_RELEASES))
    .map(({ deploymentId: _d, ...r }) => ({ ...r, live: r.id === liveReleaseId }));
}
