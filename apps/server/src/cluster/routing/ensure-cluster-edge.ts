/**
 * Make the cluster edge route every cluster web service that has run (and `including`, the one
 * being released now): one Caddy task per node (engine swarm/edge-spec.ts) through a manager that
 * answers. Idempotent and cheap when nothing changed (inspects only); a new route or project
 * restarts the edge task of one node at a time, and the host's edge proxy sends requests to the
 * other nodes meanwhile.
 */
import { buildSwarmServiceName, edgeRouteProblem, engineMessage, isEngineError, type EdgeRoute } from "@berth/engine";
import { DomainError } from "../../errors.ts";
import { reachableManager, type ClusterDeps } from "../swarm-of.ts";
import type { ClusterEdgeConfig } from "./edge-config.ts";
import { clusterRouteKey } from "./route-key.ts";

/** The routes of the cluster services Berth routes, from Postgres. */
export async function loadEdgeRoutes(deps: Pick<ClusterDeps, "db">, secret: string, including?: string): Promise<EdgeRoute[]> {
  const services = await deps.db.service.findMany({
    where: {
      placement: "cluster",
      kind: "web",
      containerPort: { not: null },
      // Those that have run, and those being released now (two cluster releases at once both
      // keep each other's route: neither drops the other's while its own is added).
      OR: [{ releases: { some: {} } }, { deployments: { some: { status: "releasing" } } }, ...(including ? [{ id: including }] : [])],
    },
    orderBy: { id: "asc" },
    select: { id: true, name: true, containerPort: true, project: { select: { id: true, teamId: true } } },
  });
  return services.map((s) => ({
    key: clusterRouteKey(secret, s.id),
    swarmService: buildSwarmServiceName({
      serviceName: s.name,
      owner: { teamId: s.project.teamId, projectId: s.project.id, serviceId: s.id },
    }),
    owner: { teamId: s.project.teamId, projectId: s.project.id },
    port: s.containerPort ?? 0,
  }));
}

export async function ensureClusterEdge(
  deps: ClusterDeps & { env: { BERTH_SECRET: string } },
  config: ClusterEdgeConfig,
  options: { including?: string; timeoutMs?: number } = {},
): Promise<void> {
  const all = await loadEdgeRoutes(deps, deps.env.BERTH_SECRET, options.including);
  // One service the edge cannot route (a name too long for DNS) must not take the others' routes.
  const routes = all.filter((r) => edgeRouteProblem(r) === null);
  for (const r of all.filter((x) => !routes.includes(x)))
    deps.log.warn({ service: r.swarmService, problem: edgeRouteProblem(r) }, "cluster edge: service left out");
  const manager = await reachableManager(deps);
  try {
    await manager.swarm.ensureEdge({ image: config.image, port: config.port, routes }, options.timeoutMs);
  } catch (err) {
    const code = isEngineError(err, "CONFLICT") ? "CONFLICT" : "ENGINE_UNAVAILABLE";
    throw new DomainError(code, `The cluster edge is not available: ${engineMessage(err)}`);
  }
  deps.log.info({ manager: manager.row.name, routes: routes.length }, "cluster edge ready");
}
