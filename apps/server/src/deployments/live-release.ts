import type { Deps } from "../deps.ts";

/** The service's live release: its most recently finished succeeded deployment. */
export function findLiveDeployment(db: Deps["db"], serviceId: string) {
  return db.deployment.findFirst({
    where: { serviceId, status: "succeeded" },
    // NULLS LAST, as the overview's statement says it (overview/service-rows.ts): one definition.
    orderBy: [{ finishedAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }],
    select: { id: true, hostPort: true, containerId: true, image: true, config: true },
  });
}
