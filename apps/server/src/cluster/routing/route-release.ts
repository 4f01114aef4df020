/**
 * The routing part of a cluster release: before the Swarm service changes, the cluster edge
 * routes it (a first release adds its route and project network; later ones change nothing), so
 * a failure here fails the deployment while the previous release still runs untouched.
 */
import type { RunContext } from "../../deployments/run-context.ts";
import type { ReleaseConfig } from "../../deployments/release-config.ts";
import { clusterEdgeConfigOf } from "./edge-config.ts";
import { ensureClusterEdge } from "./ensure-cluster-edge.ts";

export async function routeOnClusterEdge(ctx: RunContext, config: Pick<ReleaseConfig, "kind" | "containerPort">): Promise<void> {
  if (config.kind !== "web" || config.containerPort === null) return;
  const edge = clusterEdgeConfigOf(ctx.deps.env);
  ctx.sink.system(`Routing on the cluster edge (${edge.image}, port ${edge.port} on every node)`);
  await ensureClusterEdge(ctx.deps, edge, {
    including: ctx.service.id,
    timeoutMs: ctx.timeoutsMs.start + ctx.timeoutsMs.health,
  });
}
