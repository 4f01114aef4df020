/**
 * Gathers what `deriveServiceStatus` needs -- the engine's containers (with its own restart
 * counters and OOM flags), recent real exits from the engine watch -- for the overview, the
 * project page and the service page alike: one derivation, every view.
 */
import type { ManagedContainer, ManagedScope } from "@berth/engine";
import { isEngineError } from "@berth/engine";
import { standaloneEngine } from "../servers/standalone-server.ts";
import type { DeploymentStatus } from "@berth/db";
import type { Deps } from "../deps.ts";
import { clusterTaskViews } from "../cluster/task-views.ts";
import { type ContainerView, type DerivedStatus, deriveServiceStatus } from "./service-status.ts";

/** Containers whose exit reason (OOM) is read per call, at most. */
const MAX_INSPECTED = 20;
const NO_EVENTS = { dies: 0, lastOomAt: null };

export type ContainersByService = {
  byService: Map<string, ContainerView[]> | null;
  error: string | null;
  /** Cluster services whose tasks could not be listed: their status is unknown, not down. */
  unknown?: ReadonlySet<string>;
};

type Owner = ManagedScope;

/**
 * Berth's containers matching `owner` (team, project or one service), grouped by service -- a
 * cluster service's running tasks in place of containers (cluster/task-views.ts); null with the
 * error when the engine cannot be asked.
 */
export async function containerViews(deps: Pick<Deps, "engine" | "db" | "box" | "log">, owner: Owner): Promise<ContainersByService> {
  const [host, { cluster, remote }] = await Promise.all([hostContainerViews(deps, owner), placedElsewhere(deps, owner)]);
  if (host.byService === null) return host;
  for (const [serviceId, views] of [...cluster.byService, ...remote.byService]) host.byService.set(serviceId, views);
  return { ...host, unknown: new Set([...cluster.unknown, ...remote.unknown]) };
}

/**
 * The services of `owner` that do not run on this host's engine, found in one query (the common
 * case, none, costs one round trip): the cluster's, and those placed on standalone servers.
 */
async function placedElsewhere(deps: Pick<Deps, "db" | "box" | "log">, owner: Owner) {
  const services = await deps.db.service.findMany({
    where: {
      OR: [{ placement: "cluster" }, { serverId: { not: null } }],
      ...(owner.serviceId ? { id: owner.serviceId } : {}),
      ...(owner.projectId ? { projectId: owner.projectId } : {}),
      ...(owner.teamId ? { project: { teamId: owner.teamId } } : {}),
    },
    select: { id: true, placement: true, serverId: true },
  });
  const onServers = services.flatMap((s) => (s.serverId === null ? [] : [{ id: s.id, serverId: s.serverId }]));
  const [cluster, remote] = await Promise.all([
    clusterTaskViews(
      deps,
      services.filter((s) => s.placement === "cluster").map((s) => s.id),
    ),
    remoteServiceViews(deps, owner, onServers),
  ]);
  return { cluster, remote };
}

/**
 * Services on standalone remote servers: each server's engine asked once (side by side); a
 * server that does not answer leaves its services `unknown`, never "down".
 */
async function remoteServiceViews(deps: Pick<Deps, "db" | "box">, owner: Owner, placed: Array<{ id: string; serverId: string }>) {
  const byService = new Map<string, ContainerView[]>();
  const unknown = new Set<string>();
  if (placed.length === 0) return { byService, unknown };
  const servers = await deps.db.server.findMany({ where: { id: { in: [...new Set(placed.map((s) => s.serverId))] } } });
  await Promise.all(
    servers.map(async (row) => {
      const mine = placed.filter((s) => s.serverId === row.id).map((s) => s.id);
      let views: ContainersByService;
      try {
        views = await hostContainerViews({ engine: standaloneEngine(deps, row).engine }, owner);
      } catch {
        views = { byService: null, error: "unreachable" };
      }
      for (const id of mine) {
        if (views.byService === null) unknown.add(id);
        else byService.set(id, views.byService.get(id) ?? []);
      }
    }),
  );
  return { byService, unknown };
}

async function hostContainerViews(deps: Pick<Deps, "engine">, owner: Owner): Promise<ContainersByService> {
  let all: ManagedContainer[];
  try {
    // The engine lists only the owner's containers (by their labels): a team's overview never reads
    // another team's, however many they run. Checked again here: a label is the engine's word.
    all = (await deps.engine.listManaged(owner)).filter(
      (c) => (!owner.teamId || c.owner.teamId === owner.teamId) && (!owner.projectId || c.owner.projectId === owner.projectId),
    );
  } catch (err) {
    return { byService: null, error: isEngineError(err) ? err.message : "The Docker Engine could not be asked" };
  }
  // Why a container stopped or restarts (OOM) is only in its inspect data: read for those only.
  const troubled = new Set(
    all
      .filter((c) => c.state === "exited" || c.state === "restarting" || c.state === "dead")
      .slice(0, MAX_INSPECTED)
      .map((c) => c.containerId),
  );
  const views = await Promise.all(
    all.map(async (c): Promise<[string, ContainerView]> => {
      const view: ContainerView = { deploymentId: c.deploymentId, state: c.state, restartCount: c.restartCount };
      if (troubled.has(c.containerId))
        view.oomKilled = await deps.engine.containerStatus(c.containerId).then(
          (s) => s.oomKilled,
          () => false,
        );
      return [c.owner.serviceId, view];
    }),
  );
  const byService = new Map<string, ContainerView[]>();
  for (const [serviceId, view] of views) byService.set(serviceId, [...(byService.get(serviceId) ?? []), view]);
  return { byService, error: null };
}

export interface ServiceFacts {
  id: string;
  desiredState: "running" | "stopped";
  latest: { status: DeploymentStatus; error: string | null } | null;
  liveDeploymentId: string | null;
}

/** The one status of a service, from facts in Postgres and containers already gathered. */
export function statusOf(deps: Pick<Deps, "engineWatch">, service: ServiceFacts, containers: ContainersByService): DerivedStatus {
  return deriveServiceStatus({
    desiredState: service.desiredState,
    latest: service.latest,
    liveDeploymentId: service.liveDeploymentId,
    containers: containers.byService === null || containers.unknown?.has(service.id) ? null : (containers.byService.get(service.id) ?? []),
    events: deps.engineWatch?.recent(service.id) ?? NO_EVENTS,
  });
}

/** One service's status (the service page). */
export async function readServiceStatus(
  deps: Pick<Deps, "engine" | "engineWatch" | "db" | "box" | "log">,
  service: ServiceFacts,
): Promise<DerivedStatus> {
  return statusOf(deps, service, await containerViews(deps, { serviceId: service.id }));
}
