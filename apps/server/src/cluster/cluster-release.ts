/**
 * The release step of a service placed on the cluster: a Swarm service through a manager the
 * cluster answers on (swarm-of.ts), created or updated by the engine's ensureSwarmService
 * (start-first rolling update, health-gated, Swarm rolls back on failure; the project's
 * attachable overlay network). Ends when every replica runs the new spec, or fails with the
 * reason (rolled back, no node satisfies the placement, an image a node lacks, no manager
 * answers) within the start + health deadlines: never a deployment that runs forever.
 */
import type { RunContext } from "../deployments/run-context.ts";
import type { ReleaseConfig } from "../deployments/release-config.ts";
import { buildReleaseSpec } from "../deployments/release-spec.ts";
import type { ReleaseImage } from "../deployments/deployment-run.ts";
import { DomainError } from "../errors.ts";
import { clusterEngine } from "./cluster-engine.ts";
import { pushToClusterRegistry } from "./registry/push-to-cluster-registry.ts";
import { registryConfigOf } from "./registry/registry-config.ts";
import { clusterProblem, placementFacts } from "./service-placement.ts";
import { routeOnClusterEdge } from "./routing/route-release.ts";

const NO_OBSTACLE = { job: false, hostAccess: {}, runtime: {}, stackMember: false, volumes: 0 };

export async function releaseOnCluster(ctx: RunContext, config: ReleaseConfig, image: ReleaseImage): Promise<void> {
  const { deps, service, deployment, sink } = ctx;
  const problem = clusterProblem(await placementFacts(deps.db, service.id));
  if (problem) throw new DomainError("INVALID", problem);
  // The snapshot may predate the placement (settings saved, then moved): it is what would run.
  if (config.volumes.length > 0) throw new DomainError("INVALID", clusterProblem({ ...NO_OBSTACLE, volumes: 1 }) ?? "");
  if (config.runtime.publish !== null) throw new DomainError("INVALID", clusterProblem({ ...NO_OBSTACLE, runtime: config.runtime }) ?? "");
  if (config.runtime.releaseCommand !== null)
    throw new DomainError("INVALID", "A release command is not supported on the cluster yet: remove it or keep the service on this server");
  // A rollback's per-release tag lives on Berth's own engine only: the nodes run the image it was made from.
  const local = deployment.rollbackOfId ? deployment.image : image.ref;
  // An image Berth built reaches the nodes through the cluster registry (a digest reference and its auth).
  const shipped = service.sourceType === "image" ? null : await shipBuiltImage(ctx, local);
  const ref = shipped?.reference ?? local;
  const registryAuth = shipped?.auth ?? image.registryAuth;
  const { engine, managerName } = await clusterEngine(deps);
  const constraints = service.placementConstraints;
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
  sink.system(
    `Starting ${ref} on the cluster through ${managerName} (${config.replicas} replica${config.replicas === 1 ? "" : "s"}, rolling update start-first${constraints.length > 0 ? `, placement ${constraints.join(", ")}` : ""})`,
  );
  await routeOnClusterEdge(ctx, config);
  const release = await engine.ensureSwarmService(spec, {
    readyTimeoutMs: ctx.timeoutsMs.start + ctx.timeoutsMs.health + config.runtime.healthCheck.startPeriodS * 1000,
    signal: ctx.cancel,
    ...(registryAuth ? { registryAuth } : {}),
  });
  sink.system(
    `All ${config.replicas} replica${config.replicas === 1 ? "" : "s"} running on the cluster (Swarm service ${release.name}, network ${release.network})`,
  );
  // A service moved from this server to the cluster: its old containers here go now.
  await deps.engine
    .removeService(service.id)
    .catch((err: unknown) => sink.system(`Warning: could not remove its containers on this server: ${String(err)}`));
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
