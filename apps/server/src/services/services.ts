import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { type Actor, loadProject, loadService } from "../teams/access.ts";
import type { CreateServiceInput } from "./service-input.ts";
import { readRuntime } from "./runtime.ts";
import { readServiceStatus } from "../overview/live-service-status.ts";
import { recordAudit } from "../audit/audit.ts";
import { gitSourceData, sourceView } from "./git-source.ts";
import { findLiveDeployment } from "../deployments/recovery.ts";
import { buildRepository } from "../deployments/build-stage.ts";
import { ensureDefaultDomain } from "../domains/domains.ts";
import { publicIpOf } from "../domains/dns-check.ts";
import { upsertEnvVars } from "../secrets/env-store.ts";
import { sealedBoxOf } from "../secrets/sealed-box.ts";

export async function createService(deps: Pick<Deps, "db" | "env">, actor: Actor, input: CreateServiceInput) {
  const { project } = await loadProject(deps.db, actor, input.projectId, "member");
  const git = input.source === "git" && input.git ? await gitSourceData(deps, input.git, input.name) : {};
  let created: { id: string };
  try {
    created = await deps.db.service.create({
      data: {
        projectId: input.projectId,
        name: input.name,
        sourceType: input.source,
        image: input.source === "git" ? "" : input.image,
        containerPort: input.containerPort,
        ...git,
        ...(input.timeouts ?? {}),
      },
      select: { id: true },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField("name", `A service named "${input.name}" already exists in this project`);
    throw err;
  }
  await ensureDefaultDomain(deps.db, created.id, publicIpOf(deps.env));
  // Variables entered with the service: run-time, not secret (the service page marks secrets).
  const vars = input.env.map((e) => ({ name: e.key, value: e.value, secret: false, buildTime: false, runtime: true }));
  await upsertEnvVars(deps.db, sealedBoxOf(deps.env), { projectId: input.projectId, serviceId: created.id }, vars);
  const target = { teamId: project.teamId, targetType: "service", targetId: created.id };
  await recordAudit(deps.db, actor, { ...target, action: "service.create", detail: { name: input.name, image: input.image } });
  // Environment variable names only: values may be secrets.
  if (input.env.length > 0) await recordAudit(deps.db, actor, { ...target, action: "env.set", detail: { names: input.env.map((e) => e.key) } });
  return created;
}

export async function getService(deps: Pick<Deps, "db" | "engine" | "engineWatch">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  const [latestDeployment, current, releases] = await Promise.all([
    deps.db.deployment.findFirst({ where: { serviceId }, orderBy: { createdAt: "desc" }, omit: { config: true } }),
    findLiveDeployment(deps.db, serviceId),
    deps.db.release.findMany({ where: { serviceId }, orderBy: { number: "desc" }, take: 20, select: { id: true, number: true, image: true, commitSha: true, createdAt: true, deploymentId: true } }),
  ]);
  const runtime = await readRuntime(deps.engine, serviceId, current?.id ?? null);
  // The same derivation as the overview and the project page (overview/live-service-status.ts).
  const status = await readServiceStatus(deps, { id: serviceId, desiredState: service.desiredState, latest: latestDeployment, liveDeploymentId: current?.id ?? null });
  return {
    id: service.id,
    name: service.name,
    image: service.image,
    source: sourceView(service),
    containerPort: service.containerPort,
    /** Names only: values are listed (non-secret) by env.list. */
    env: (await deps.db.envVar.findMany({ where: { serviceId }, select: { name: true }, orderBy: { name: "asc" } })).map((v) => ({ key: v.name })),
    liveDeploymentId: current?.id ?? null,
    releases,
    desiredState: service.desiredState,
    projectId: service.project.id,
    projectName: service.project.name,
    teamId: service.project.teamId,
    createdAt: service.createdAt,
    runtime,
    status,
    latestDeployment,
  };
}

export async function stopService(deps: Pick<Deps, "db" | "engine" | "engineWatch">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  await deps.engine.stopService(serviceId);
  await deps.db.service.update({ where: { id: serviceId }, data: { desiredState: "stopped" } });
  deps.engineWatch?.notify({ teamId: service.project.teamId, serviceId, type: "desired" });
  await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "service.stop", targetType: "service", targetId: serviceId, detail: { name: service.name } });
  return { ok: true as const };
}

export async function startService(deps: Pick<Deps, "db" | "engine" | "engineWatch">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  const started = await deps.engine.startService(serviceId);
  if (started.length === 0) {
    throw new DomainError("CONFLICT", "This service has no release to start yet; deploy it first");
  }
  await deps.db.service.update({ where: { id: serviceId }, data: { desiredState: "running" } });
  deps.engineWatch?.notify({ teamId: service.project.teamId, serviceId, type: "desired" });
  await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "service.start", targetType: "service", targetId: serviceId, detail: { name: service.name } });
  return { ok: true as const };
}

/** Remove the containers first: if the engine cannot, nothing is deleted and nothing is orphaned. */
export async function deleteService(deps: Pick<Deps, "db" | "engine" | "log">, actor: Actor, serviceId: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "member");
  await deps.engine.removeService(serviceId);
  await deps.db.service.delete({ where: { id: serviceId } });
  await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "service.delete", targetType: "service", targetId: serviceId, detail: { name: service.name } });
  // Its build images go too (disk). A failure leaves only images behind, never containers:
  // reported, not thrown, since the service itself is gone.
  await deps.engine.removeRepositoryImages(buildRepository(serviceId)).catch((err: unknown) => {
    deps.log.warn({ serviceId, err: String(err) }, "could not remove the deleted service's build images");
  });
  return { ok: true as const, projectId: service.project.id };
}
