import type { ContainerEngine, ManagedContainer } from "@berth/engine";
import { serviceEngineOf } from "../servers/standalone-server.ts";
import type { Deps } from "../deps.ts";

/**
 * The running container of a service's live release (its most recent successful deployment),
 * or any running container of the service while a hand-over is under way; null when none runs.
 */
export async function findLiveContainer(deps: Pick<Deps, "db" | "engine">, serviceId: string): Promise<ManagedContainer | null> {
  // Both at once: the database's answer and the engine's are independent.
  const [current, containers] = await Promise.all([
    deps.db.deployment.findFirst({
      where: { serviceId, status: "succeeded" },
      orderBy: [{ finishedAt: "desc" }, { createdAt: "desc" }],
      select: { id: true },
    }),
    deps.engine.listManaged({ serviceId }),
  ]);
  return (
    containers.find((c) => c.state === "running" && c.deploymentId === current?.id) ?? containers.find((c) => c.state === "running") ?? null
  );
}

/**
 * The same on the engine the service runs on (Berth's own, or its standalone remote server's),
 * with that engine: what logs and the terminal of a service on `server` go through. `service`
 * as its caller loaded it.
 */
export async function findLiveContainerAndEngine(
  deps: Pick<Deps, "db" | "engine" | "box">,
  service: { id: string; serverId: string | null },
): Promise<{ container: ManagedContainer; engine: ContainerEngine } | null> {
  const { engine } = await serviceEngineOf(deps, service);
  const container = await findLiveContainer({ db: deps.db, engine }, service.id);
  return container ? { container, engine } : null;
}
