/**
 * Stop and start of a service on the cluster: stop scales its Swarm service to 0 replicas (the
 * spec kept, its volume kept on its node), with the desired state `stopped` first (takeDown);
 * start scales it back to the live release's replicas and says `running` again. The reconciler
 * leaves cluster services alone either way (Swarm keeps the replica count it was given).
 */
import type { Deps } from "../deps.ts";
import { findLiveDeployment } from "../deployments/live-release.ts";
import { openReleaseConfig } from "../deployments/release-config.ts";
import { DomainError } from "../errors.ts";
import { takeDown } from "../services/desired-state.ts";
import { clusterEngine } from "./cluster-engine.ts";

type StopStartDeps = Pick<Deps, "db" | "box" | "log">;

export async function stopClusterService(deps: StopStartDeps, service: { id: string; desiredState: "running" | "stopped" }) {
  await takeDown(deps.db, [service], async () => {
    await (await clusterEngine(deps)).services.scaleSwarmService(service.id, 0);
  });
}

/** The live release's replica count again; CONFLICT when nothing was released yet. */
export async function startClusterService(deps: StopStartDeps, serviceId: string): Promise<{ replicas: number }> {
  const live = await findLiveDeployment(deps.db, serviceId);
  const replicas = live ? (openReleaseConfig(live.config, deps.box)?.replicas ?? 1) : 0;
  const scaled = live ? await (await clusterEngine(deps)).services.scaleSwarmService(serviceId, replicas) : [];
  if (scaled.length === 0) throw new DomainError("CONFLICT", "This service has no release on the cluster to start yet; deploy it first");
  await deps.db.service.update({ where: { id: serviceId }, data: { desiredState: "running" } });
  return { replicas };
}
