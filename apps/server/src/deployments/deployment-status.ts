import type { Db } from "@berth/db";
import { type Actor, loadDeployment } from "../teams/access.ts";

/** One deployment's status and failure reason (what `berth deploy --wait` polls). */
export async function getDeploymentStatus(db: Db, actor: Actor, deploymentId: string) {
  await loadDeployment(db, actor, deploymentId, "viewer");
  return db.deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    select: {
      id: true,
      serviceId: true,
      status: true,
      error: true,
      trigger: true,
      image: true,
      commitSha: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      release: { select: { id: true, number: true } },
    },
  });
}
