import type { Prisma } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { type Actor, loadProject, loadService } from "../teams/access.ts";
import type { CreateServiceInput } from "./service-input.ts";
import { runtimeColumns, settingsView } from "./service-settings.ts";
import { pendingChanges } from "./pending-changes.ts";
import { checkHostPaths, syncServiceVolumes } from "../volumes/service-volumes.ts";
import { removeVolumes } from "../volumes/volumes.ts";
import { getSettings, instanceDefaultsView } from "../instance/settings.ts";
import { internalNames } from "../deployments/release-spec.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { readRuntime } from "./runtime.ts";
import { readServiceStatus } from "../overview/live-service-status.ts";
import { recordAudit } from "../audit/audit.ts";
import { gitSourceData, sourceView } from "./git-source.ts";
import { findLiveDeployment } from "../deployments/live-release.ts";
import { assertAnswers, serviceEngineOf, standaloneTargets, standaloneView } from "../servers/standalone-server.ts";
import { takeDown } from "./desired-state.ts";
import { buildRepository } from "../deployments/build-stage.ts";
import { ensureDefaultDomain } from "../domains/domains.ts";
import { publicIpOf } from "../domains/dns-check.ts";
import { upsertEnvVars } from "../secrets/env-store.ts";
import { assertImageUsable } from "./image-ownership.ts";
import { pruneProjectNetwork } from "./project-network.ts";
import { removeGitCache } from "../sources/git-cache.ts";
import { removePreviewService, type RemovePreviewDeps } from "../previews/remove-preview.ts";
import { stopDeployments } from "../deployments/stop-deployments.ts";
import { stopRuns } from "../one-offs/stop-runs.ts";
import { databaseConnection } from "../databases/connection-details.ts";
import { checkHostPortClaim, claimInTransaction } from "./host-port-claim.ts";
import { assertAddressesFree } from "./service-addresses.ts";
import { checkMemlock } from "./memlock-check.ts";
import { clusterServicesOf } from "../cluster/cluster-engine.ts";
import { startClusterService, stopClusterService } from "../cluster/cluster-stop-start.ts";

export async function createService(deps: Pick<Deps, "db" | "env" | "queue" | "events" | "box">, actor: Actor, input: CreateServiceInput) {
  const { project } = await loadProject(deps.db, actor, input.projectId, "member");
  const git = input.source === "git" && input.git ? await gitSourceData(deps, input.git, input.name) : {};
  const settings = await getSettings(deps.db);
  await checkHostPaths(input.volumes, settings.allowBindMounts);
  checkMemlock(input, settings);
  if (input.source !== "git") await assertImageUsable(deps.db, { serviceId: null, teamId: project.teamId }, input.image);
  await assertAddressesFree(deps.db, { projectId: input.projectId, serviceId: null }, input);
  const publish = input.publish;
  if (publish) await checkHostPortClaim(deps, null, null, publish, "publish.hostPort");
  let created: { id: string };
  try {
    created = await deps.db.$transaction(async (tx) => {
      if (publish) await claimInTransaction(tx, null, publish, "publish.hostPort");
      return insertService(tx, input, git);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField("name", `A service named "${input.name}" already exists in this project`);
    throw err;
  }
  if (input.kind === "web") await ensureDefaultDomain(deps.db, created.id, publicIpOf(deps.env));
  // Variables entered with the service: run-time, not secret (the service page marks secrets).
  const vars = input.env.map((e) => ({ name: e.key, value: e.value, secret: false, buildTime: false, runtime: true }));
  await upsertEnvVars(deps.db, deps.box, { projectId: input.projectId, serviceId: created.id }, vars);
  const target = { teamId: project.teamId, targetType: "service", targetId: created.id };
  await recordAudit(deps.db, actor, {
    ...target,
    action: "service.create",
    detail: { name: input.name, image: input.image, kind: input.kind },
  });
  // Environment variable names only: values may be secrets.
  if (input.env.length > 0)
    await recordAudit(deps.db, actor, { ...target, action: "env.set", detail: { names: input.env.map((e) => e.key) } });
  const deployment = input.deploy ? await enqueueDeployment(deps, actor, created.id) : null;
  return { ...created, deploymentId: deployment?.deploymentId ?? null };
}

/**
 * The service row and its volumes, inside the caller's transaction (a stack creates several at
 * once). The caller has authorized the project and checked host paths and the image.
 */
export async function insertService(
  tx: Prisma.TransactionClient,
  input: CreateServiceInput,
  git: Awaited<ReturnType<typeof gitSourceData>> | Record<string, never> = {},
): Promise<{ id: string }> {
  const row = await tx.service.create({
    data: {
      projectId: input.projectId,
      name: input.name,
      sourceType: input.source,
      image: input.source === "git" ? "" : input.image,
      ...runtimeColumns(input),
      ...git,
      ...(input.timeouts ?? {}),
    },
    select: { id: true },
  });
  await syncServiceVolumes(tx, { projectId: input.projectId, serviceId: row.id }, input.volumes);
  return row;
}

export async function getService(
  deps: Pick<Deps, "db" | "engine" | "env" | "engineWatch" | "box" | "log">,
  actor: Actor,
  serviceId: string,
) {
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  const [latestDeployment, current, releases] = await Promise.all([
    deps.db.deployment.findFirst({ where: { serviceId }, orderBy: { createdAt: "desc" }, omit: { config: true } }),
    findLiveDeployment(deps.db, serviceId),
    deps.db.release.findMany({
      where: { serviceId },
      orderBy: { number: "desc" },
      take: 20,
      select: { id: true, number: true, image: true, commitSha: true, createdAt: true, deploymentId: true },
    }),
  ]);
  const runtime = await readRuntime(deps.engine, serviceId, current?.id ?? null);
  const volumes = await deps.db.volume.findMany({
    where: { serviceId },
    orderBy: { mountPath: "asc" },
    select: { id: true, name: true, mountPath: true, readOnly: true, hostPath: true },
  });
  // The same derivation as the overview and the project page (overview/live-service-status.ts).
  const status = await readServiceStatus(deps, {
    id: serviceId,
    desiredState: service.desiredState,
    latest: latestDeployment,
    liveDeploymentId: current?.id ?? null,
  });
  return {
    id: service.id,
    name: service.name,
    image: service.image,
    source: sourceView(service),
    kind: service.kind,
    containerPort: service.containerPort,
    settings: settingsView(service, volumes),
    /** What applies where the service sets no limit, and whether host paths may be mounted (the settings form's placeholders). */
    instanceDefaults: instanceDefaultsView(await getSettings(deps.db)),
    /** How the other services of the project reach this one (its project's private network). */
    internal: service.kind === "worker" ? null : { ...internalNames(service.name, service.project), port: service.containerPort },
    /** A database Berth created: its engine and the variable other services refer to for a connection. */
    database: service.databaseEngine ? databaseConnection({ ...service, databaseEngine: service.databaseEngine }, deps.env) : null,
    pendingChanges: await pendingChanges(deps, service, current),
    /** Names only: values are listed (non-secret) by env.list. */
    env: (
      await deps.db.envVar.findMany({ where: { serviceId, scopeKey: serviceId }, select: { name: true }, orderBy: { name: "asc" } })
    ).map((v) => ({ key: v.name })),
    liveDeploymentId: current?.id ?? null,
    releases,
    desiredState: service.desiredState,
    /**
     * server: containers on Berth's own engine (or a standalone remote server's: `server`); cluster: a Swarm service (routed through the cluster
     * edge, cluster/routing/). `clusterOn`: whether the instance is in cluster mode (the page offers the choice only then).
     */
    placement: {
      mode: service.placement,
      constraints: service.placementConstraints,
      clusterOn: (await deps.db.cluster.count({ where: { id: 1 } })) > 0,
      /** The node a cluster service with volumes runs on (its server's name when Berth knows it). */
      pinnedTo: await pinnedView(deps.db, service.pinnedNodeId),
      /** mode server: the standalone remote server it runs on (null: Berth's own engine). */
      server: service.serverId ? await standaloneView(deps.db, service.serverId) : null,
      /** The standalone servers a team admin may pick (name and state only; see servers/standalone-server.ts). */
      servers: await standaloneTargets(deps.db),
    },
    projectId: service.project.id,
    projectName: service.project.name,
    teamId: service.project.teamId,
    createdAt: service.createdAt,
    runtime,
    status,
    latestDeployment,
  };
}

async function pinnedView(db: Deps["db"], nodeId: string | null) {
  if (nodeId === null) return null;
  const server = await db.server.findFirst({ where: { swarmNodeId: nodeId }, select: { name: true } });
  return { nodeId, serverName: server?.name ?? null };
}

export async function stopService(deps: Pick<Deps, "db" | "engine" | "engineWatch" | "box" | "log">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  // On the cluster: its Swarm service scaled to 0 (cluster/cluster-stop-start.ts).
  if (service.placement === "cluster") await stopClusterService(deps, service);
  else {
    const { engine } = await serviceEngineOf(deps, service);
    await takeDown(deps.db, [service], () => engine.stopService(serviceId));
  }
  deps.engineWatch?.notify({ teamId: service.project.teamId, serviceId, type: "desired" });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "service.stop",
    targetType: "service",
    targetId: serviceId,
    detail: { name: service.name },
  });
  return { ok: true as const };
}

export async function startService(deps: Pick<Deps, "db" | "engine" | "engineWatch" | "box" | "log">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  if (service.placement === "cluster") await startClusterService(deps, serviceId);
  else {
    const started = await (await serviceEngineOf(deps, service)).engine.startService(serviceId);
    if (started.length === 0) {
      throw new DomainError("CONFLICT", "This service has no release to start yet; deploy it first");
    }
    await deps.db.service.update({ where: { id: serviceId }, data: { desiredState: "running" } });
  }
  deps.engineWatch?.notify({ teamId: service.project.teamId, serviceId, type: "desired" });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "service.start",
    targetType: "service",
    targetId: serviceId,
    detail: { name: service.name },
  });
  return { ok: true as const };
}

/** Remove the containers first: if the engine cannot, nothing is deleted and nothing is orphaned. */
/**
 * Its volumes are kept (detached, listed on the project page) unless the caller asks for them
 * to go too; then only after the containers are gone, and a volume that cannot be removed is
 * reported, not lost track of.
 */
export async function deleteService(
  deps: RemovePreviewDeps & Pick<Deps, "box">,
  actor: Actor,
  serviceId: string,
  options: { deleteVolumes?: boolean } = {},
) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  // Where it runs answers first: a standalone server or cluster manager that does not stops the
  // delete before anything changed (its deployments and runs go on; a retry finishes the delete).
  const target = await serviceEngineOf(deps, service);
  await assertAnswers(target);
  const swarm = service.placement === "cluster" ? await clusterServicesOf(deps) : null;
  // Its deployments and runs first: one still running would leave what it makes after the removal behind.
  await stopDeployments(deps, { teamId: service.project.teamId, serviceIds: [serviceId] }, "Cancelled: the service was deleted");
  await stopRuns(deps, [serviceId]);
  // A service on the cluster: its Swarm service first.
  await swarm?.removeSwarmService(serviceId);
  // Its previews first (their containers and images; their rows would only cascade).
  for (const p of await deps.db.service.findMany({ where: { previewOfId: serviceId }, select: { id: true } }))
    await removePreviewService(deps, p.id);
  // Berth's own engine, or the standalone remote server's.
  const { engine } = target;
  await takeDown(deps.db, [service], () => engine.removeService(serviceId));
  const volumes = await deps.db.volume.findMany({ where: { serviceId }, select: { id: true, name: true, hostPath: true } });
  await deps.db.service.delete({ where: { id: serviceId } });
  // Its volumes, network and image copies live on the engine it ran on.
  const onItsEngine = { db: deps.db, log: deps.log, engine };
  const removedVolumes = options.deleteVolumes ? await removeVolumes(onItsEngine, service.project.id, volumes) : [];
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "service.delete",
    targetType: "service",
    targetId: serviceId,
    detail: {
      name: service.name,
      volumesDeleted: removedVolumes,
      volumesKept: volumes.map((v) => v.name).filter((n) => !removedVolumes.includes(n)),
    },
  });
  // Its build images go too (disk). A failure leaves only images behind, never containers:
  // reported, not thrown, since the service itself is gone.
  for (const where of new Set([deps.engine, engine]))
    await where.removeRepositoryImages(buildRepository(serviceId)).catch((err: unknown) => {
      deps.log.warn({ serviceId, err: String(err) }, "could not remove the deleted service's build images");
    });
  await removeGitCache(deps, serviceId);
  await pruneProjectNetwork(onItsEngine, service.project.id);
  return { ok: true as const, projectId: service.project.id };
}
