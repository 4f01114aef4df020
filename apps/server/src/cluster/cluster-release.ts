/**
 * The release step of a service placed on the cluster: a Swarm service through a manager the
 * cluster answers on (swarm-of.ts), created or updated by SwarmServices' ensureSwarmService
 * (start-first rolling update, health-gated, Swarm rolls back on failure; the project's
 * attachable overlay network). Ends when every replica runs the new spec, or fails with the
 * reason (rolled back, no node satisfies the placement, an image a node lacks, no manager
 * answers) within the start + health deadlines: never a deployment that runs forever.
 * A service with volumes is pinned to one node (pin-service.ts): `node.id==<id>` joins its
 * constraints, its named volumes are created there, and its updates are stop-first by default.
 */
import type { RunContext } from "../deployments/run-context.ts";
import type { ReleaseConfig } from "../deployments/release-config.ts";
import { buildReleaseSpec } from "../deployments/release-spec.ts";
import type { ReleaseImage } from "../deployments/deployment-run.ts";
import { engineMessage } from "@berth/engine";
import { DomainError } from "../errors.ts";
import { clusterEngine } from "./cluster-engine.ts";
import type { Manager } from "./swarm-of.ts";
import { pushToClusterRegistry } from "./registry/push-to-cluster-registry.ts";
import { registryConfigOf } from "./registry/registry-config.ts";
import { pinnedNodeFor, pinnedNodeTrouble, type PinnedNode } from "./pin-service.ts";
import { watchPinnedNode } from "./pinned-node-watch.ts";
import { clusterProblem, placementFacts } from "./service-placement.ts";
import { pinConstraint } from "./volume-pin.ts";
import { routeOnClusterEdge } from "./routing/route-release.ts";

const NO_OBSTACLE = { job: false, hostAccess: {}, runtime: {}, stackMember: false, volumes: 0, hostPaths: 0, replicas: 1 };

export async function releaseOnCluster(ctx: RunContext, config: ReleaseConfig, image: ReleaseImage): Promise<void> {
  const { deps, service, deployment, sink } = ctx;
  const problem = clusterProblem(await placementFacts(deps.db, service.id));
  if (problem) throw new DomainError("INVALID", problem);
  // The snapshot may predate the placement (settings saved, then moved): it is what would run.
  const volumes = { volumes: config.volumes.length, hostPaths: config.volumes.filter((v) => v.hostPath !== null).length };
  const snapshotProblem = clusterProblem({ ...NO_OBSTACLE, ...volumes, replicas: config.replicas });
  if (snapshotProblem) throw new DomainError("INVALID", snapshotProblem);
  if (config.runtime.publish !== null) throw new DomainError("INVALID", clusterProblem({ ...NO_OBSTACLE, runtime: config.runtime }) ?? "");
  if (config.runtime.releaseCommand !== null)
    throw new DomainError("INVALID", "A release command is not supported on the cluster yet: remove it or keep the service on this server");
  // A rollback's per-release tag lives on Berth's own engine only: the nodes run the image it was made from.
  const local = deployment.rollbackOfId ? deployment.image : image.ref;
  // An image Berth built reaches the nodes through the cluster registry (a digest reference and its auth).
  const shipped = service.sourceType === "image" ? null : await shipBuiltImage(ctx, local);
  const ref = shipped?.reference ?? local;
  const registryAuth = shipped?.auth ?? image.registryAuth;
  const { services, managerName, manager } = await clusterEngine(deps);
  const pinned = config.volumes.length > 0 ? await pinnedNodeFor(deps, manager, service) : null;
  if (pinned)
    sink.system(
      `${pinned.picked ? "Pinned" : "Pinned earlier"} to ${pinned.serverName} (node ${pinned.nodeId}) because of its volume${config.volumes.length === 1 ? "" : "s"}: it runs there only`,
    );
  const constraints = [...service.placementConstraints, ...(pinned ? [pinConstraint(pinned.nodeId)] : [])];
  const spec = {
    ...buildReleaseSpec(
      {
        service: { id: service.id, name: service.name },
        project: { id: service.project.id, name: service.project.name, teamId: service.project.teamId },
        deploymentId: deployment.id,
        image: ref,
      },
      config,
    ),
    ...(constraints.length > 0 ? { placementConstraints: [...constraints] } : {}),
  };
  // A database's first start initializes its data directory before the port opens: Swarm counts
  // no failed probe until the health deadline (as Berth's own probe waits on a single server).
  if (service.databaseEngine) {
    const check = spec.healthCheck ?? { type: "tcp" as const };
    if (check.type !== "running" && !check.startPeriodMs) spec.healthCheck = { ...check, startPeriodMs: ctx.timeoutsMs.health };
  }
  const order = config.strategy === "stop_first" ? "stop-first" : "start-first";
  sink.system(
    `Starting ${ref} on the cluster through ${managerName} (${config.replicas} replica${config.replicas === 1 ? "" : "s"}, rolling update ${order}${constraints.length > 0 ? `, placement ${constraints.join(", ")}` : ""})`,
  );
  await routeOnClusterEdge(ctx, config);
  const watch = pinned ? watchPinnedNode(manager, pinned.nodeId) : null;
  const release = await services
    .ensureSwarmService(spec, {
      readyTimeoutMs: ctx.timeoutsMs.start + ctx.timeoutsMs.health + config.runtime.healthCheck.startPeriodS * 1000,
      signal: watch ? AbortSignal.any([ctx.cancel, watch.signal]) : ctx.cancel,
      // A lost node runs no rollback either: Swarm completes it once the node is back.
      awaitRollback: () => watch?.trouble() == null,
      order,
      ...(registryAuth ? { registryAuth } : {}),
    })
    .catch((err: unknown) => whyPinnedFailed(manager, pinned, err, watch?.trouble() ?? null))
    .finally(() => watch?.stop());
  sink.system(
    `All ${config.replicas} replica${config.replicas === 1 ? "" : "s"} running on the cluster (Swarm service ${release.name}, network ${release.network})`,
  );
  // A service moved from this server to the cluster: its old containers here go now.
  await deps.engine
    .removeService(service.id)
    .catch((err: unknown) => sink.system(`Warning: could not remove its containers on this server: ${String(err)}`));
}

/**
 * A pinned service's release that failed because its node went down or away mid-deploy says so.
 * `lost`: the watch saw it and stopped the wait (the engine's error then only says "cancelled").
 */
async function whyPinnedFailed(manager: Manager, pinned: PinnedNode | null, err: unknown, lost: string | null): Promise<never> {
  if (!pinned) throw err;
  if (lost !== null)
    throw new DomainError(
      "ENGINE_FAILED",
      `${pinned.serverName}, the node its volume lives on, is ${lost}: the service runs only there (the release was stopped; Swarm goes back to the previous release, if any, once the node is back)`,
    );
  const trouble = await pinnedNodeTrouble(manager, pinned.nodeId);
  if (trouble === null || trouble === undefined) throw err;
  throw new DomainError(
    "ENGINE_FAILED",
    `${pinned.serverName}, the node its volume lives on, is ${trouble}: the service runs only there (${engineMessage(err)})`,
  );
}

/**
 * A build of this deployment onto the cluster registry: copied from Berth's engine to the
 * manager's when it lacks it, pushed as `berth/<serviceId>:<deploymentId>`, pulled by digest.
 */
async function shipBuiltImage(ctx: RunContext, image: string) {
  const { deps, service, deployment, sink } = ctx;
  sink.system(`Shipping ${image} to the cluster registry`);
  const pushed = await pushToClusterRegistry(deps, registryConfigOf(deps.env), {
    image,
    repository: service.id.toLowerCase(),
    tag: deployment.id,
    copyFrom: deps.engine,
  });
  sink.system(`On the cluster registry as ${pushed.reference}`);
  return { reference: pushed.reference, auth: pushed.registry.auth };
}
