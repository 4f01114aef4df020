import type { ManagedContainer } from "@berth/engine";
import type { Deps } from "../deps.ts";

/**
 * The running container of a service's live release (its most recent successful deployment),
 * or any running container of the service while a hand-over is under way; null when none runs.
 */
export async function findLiveContainer(deps: Pick<Deps, "db" | "engine">, serviceId: string): Promise<ManagedContainer | null> {
  const current = await deps.db.deployment.findFirst({
    where: { serviceId, status: "succeeded" },
    orderBy: [{ finishedAt: "desc" }, { createdAt: "desc" }],
    select: { id: true },
  });
  const containers = await deps.engine.listManaged({ serviceId });
  return (
    containers.find((c) => c.state === "running" && c.deploymentId === current?.id) ?? containers.find((c) => c.state === "running") ?? null
  );
}
