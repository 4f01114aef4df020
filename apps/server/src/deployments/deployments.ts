import { randomUUID } from "node:crypto";
import type { DeploymentTrigger, Prisma } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { type Actor, type LoadedService, loadService } from "../teams/access.ts";
import { recordAudit } from "../audit/audit.ts";
import { type currentReleaseConfig, releaseConfigNow, sealReleaseConfig, type StoredReleaseConfig } from "./release-config.ts";
import { isActiveStatus } from "./statuses.ts";
import { isRetained } from "./image-retention.ts";

export type EnqueueDeps = Pick<Deps, "db" | "env" | "queue" | "events" | "box">;

export interface EnqueueRequest {
  serviceId: string;
  /** The service's team (in its status events). */
  teamId: string;
  trigger: DeploymentTrigger;
  actorId: string | null;
  image: string;
  /** The stored (sealed) config snapshot. */
  config: StoredReleaseConfig | Prisma.JsonValue;
  rollbackOfId?: string;
  commitSha?: string | null;
  commitMessage?: string | null;
}

/**
 * Insert a queued deployment. Deployments of the same service still queued are superseded
 * by it (a newer deploy wins), so a burst of clicks leaves at most one running and one
 * pending. A per-service advisory lock makes concurrent enqueues agree.
 */
export async function enqueue(deps: EnqueueDeps, req: EnqueueRequest): Promise<{ deploymentId: string }> {
  // Named here, so the superseded ones can say by which (the batch below cannot read results
  // between its statements: one request to the database instead of a round trip per step).
  const id = randomUUID();
  const [, superseded] = await deps.db.$transaction([
    deps.db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${req.serviceId})::bigint)`,
    deps.db.$queryRaw<{ id: string }[]>`
      UPDATE deployment SET
        status = 'superseded'::"DeploymentStatus",
        error = ${`Superseded by a newer deployment (${id.slice(0, 8)}) before it started`},
        "finishedAt" = now()
      WHERE "serviceId" = ${req.serviceId} AND status = 'queued'
      RETURNING id`,
    deps.db.deployment.create({
      data: {
        id,
        serviceId: req.serviceId,
        image: req.image,
        trigger: req.trigger,
        actorId: req.actorId,
        config: req.config as Prisma.InputJsonValue,
        rollbackOfId: req.rollbackOfId ?? null,
        commitSha: req.commitSha ?? null,
        commitMessage: req.commitMessage ?? null,
      },
      select: { id: true },
    }),
  ]);
  const { serviceId, teamId } = req;
  for (const d of superseded) deps.events.publishStatus({ deploymentId: d.id, serviceId, teamId, status: "superseded" });
  deps.events.publishStatus({ deploymentId: id, serviceId, teamId, status: "queued" });
  deps.queue.wake();
  return { deploymentId: id };
}

/** Queue a deployment of the service's current configuration (and, for git, its branch head). */
export async function enqueueDeployment(deps: EnqueueDeps, actor: Actor, serviceId: string, trigger: DeploymentTrigger = "user") {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  return deployService(deps, actor, service, trigger);
}

/** Queue a deployment of a service the caller may deploy (loaded with its access checked: `serviceProcedure("member")`). */
export async function deployService(deps: EnqueueDeps, actor: Actor, service: LoadedService, trigger: DeploymentTrigger = "user") {
  const image = service.sourceType === "git" ? "" : service.image;
  const queued = await enqueue(deps, {
    serviceId: service.id,
    teamId: service.project.teamId,
    trigger,
    actorId: actor.userId,
    image,
    config: await snapshotConfig(deps, service),
  });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "service.deploy",
    targetType: "service",
    targetId: service.id,
    detail: { name: service.name, deploymentId: queued.deploymentId, trigger },
  });
  return queued;
}

/** The service's current config, sealed, as a deployment stores it. */
export async function snapshotConfig(
  deps: Pick<Deps, "db" | "env" | "box">,
  service: Parameters<typeof currentReleaseConfig>[2],
): Promise<StoredReleaseConfig> {
  const box = deps.box;
  const { config, problems } = await releaseConfigNow(deps.db, box, service);
  // A reference that does not resolve would start the release with the text as written.
  if (problems.length > 0) throw new DomainError("INVALID", `Cannot deploy: ${problems.join("; ")}`, { env: problems.join("\n") });
  return sealReleaseConfig(config, box);
}

/** Deploy again what a past deployment deployed: the service's current source and config. */
export async function redeploy(deps: EnqueueDeps, actor: Actor, deploymentId: string) {
  const d = await deps.db.deployment.findUnique({ where: { id: deploymentId }, select: { serviceId: true } });
  if (!d) throw notFound("Deployment");
  return enqueueDeployment(deps, actor, d.serviceId, "redeploy");
}

/** Release a retained release's image + config again, through the same health gate; no rebuild. */
export async function rollbackToRelease(deps: EnqueueDeps & Pick<Deps, "env" | "box">, actor: Actor, releaseId: string) {
  const release = await deps.db.release.findUnique({ where: { id: releaseId } });
  if (!release) throw notFound("Release");
  const { service } = await loadService(deps.db, actor, release.serviceId, "member");
  const newest =
    (await deps.db.release.aggregate({ where: { serviceId: release.serviceId }, _max: { number: true } }))._max.number ?? release.number;
  const keep = deps.env.BERTH_RETAIN_RELEASES;
  if (!isRetained(release.number, newest, keep)) {
    throw new DomainError("CONFLICT", `Release #${release.number} is no longer retained: only the last ${keep} releases keep their images`);
  }
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "service.rollback",
    targetType: "service",
    targetId: release.serviceId,
    detail: { name: service.name, release: release.number },
  });
  return enqueue(deps, {
    serviceId: release.serviceId,
    teamId: service.project.teamId,
    trigger: "rollback",
    actorId: actor.userId,
    image: release.image,
    config: release.config,
    rollbackOfId: release.id,
    commitSha: release.commitSha,
    commitMessage: `Rollback to release #${release.number}`,
  });
}

/** Cancel one deployment: a queued one ends at once; one in progress is aborted by its worker. */
export async function cancelDeployment(deps: Pick<Deps, "db" | "events" | "queue">, actor: Actor, deploymentId: string) {
  const d = await deps.db.deployment.findUnique({ where: { id: deploymentId }, select: { id: true, serviceId: true, status: true } });
  if (!d) throw notFound("Deployment");
  const { service } = await loadService(deps.db, actor, d.serviceId, "member");
  const reason = "Cancelled by a user";
  if (d.status === "queued") {
    const { count } = await deps.db.deployment.updateMany({
      where: { id: d.id, status: "queued" },
      data: { status: "cancelled", error: reason, finishedAt: new Date() },
    });
    if (count > 0) {
      deps.events.publishStatus({ deploymentId: d.id, serviceId: d.serviceId, teamId: service.project.teamId, status: "cancelled" });
      return { ok: true as const };
    }
  }
  const { count } = await deps.db.deployment.updateMany({
    where: { id: d.id, status: { in: ["cloning", "building", "releasing"] } },
    data: { cancelRequestedAt: new Date() },
  });
  if (count === 0) throw new DomainError("CONFLICT", "This deployment has already finished");
  deps.queue.cancel(d.id);
  return { ok: true as const };
}

/** The service's last 50 deployments (serviceProcedure loaded the service for the caller). */
export async function listDeployments(deps: Pick<Deps, "db" | "env" | "box">, service: Pick<LoadedService, "id">) {
  const serviceId = service.id;
  const rows = await deps.db.deployment.findMany({
    where: { serviceId },
    orderBy: { createdAt: "desc" },
    take: 50,
    include: { release: { select: { id: true, number: true } } },
  });
  const queued = await deps.db.deployment.findMany({ where: { status: "queued" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  const busy = rows.some((d) => isActiveStatus(d.status));
  const liveId = rows.find((d) => d.status === "succeeded")?.id ?? null;
  const newest = (await deps.db.release.aggregate({ where: { serviceId }, _max: { number: true } }))._max.number ?? 0;
  return rows.map(({ config: _config, ...d }) => {
    const position = d.status === "queued" ? queued.findIndex((q) => q.id === d.id) + 1 : null;
    return {
      ...d,
      release: d.release ? { ...d.release, retained: isRetained(d.release.number, newest, deps.env.BERTH_RETAIN_RELEASES) } : null,
      live: d.id === liveId,
      queuePosition: position,
      waitingFor: d.status !== "queued" ? null : busy ? "the deployment of this service in progress" : "a free build slot",
    };
  });
}
