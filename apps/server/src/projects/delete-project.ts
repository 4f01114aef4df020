/**
 * Delete a project with everything in it: its services' deployments stopped, their containers
 * first (and the Swarm services of those on the cluster; if an engine cannot remove them,
 * nothing is deleted), their build images, its network, and -- only when asked -- its volumes.
 * Kept volumes stay as labelled Docker volumes; the answer says which.
 */
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { buildRepository } from "../deployments/build-stage.ts";
import { stopDeployments } from "../deployments/stop-deployments.ts";
import { stopRuns } from "../one-offs/stop-runs.ts";
import { DomainError } from "../errors.ts";
import { type Actor, loadProject } from "../teams/access.ts";
import { removeVolumes } from "../volumes/volumes.ts";
import { takeDown } from "../services/desired-state.ts";
import { assertAnswers, serviceEngineOf } from "../servers/standalone-server.ts";
import { removeGitCache } from "../sources/git-cache.ts";
import { clusterServicesOf } from "../cluster/cluster-engine.ts";

export async function deleteProject(
  deps: Pick<Deps, "db" | "engine" | "log" | "proxy" | "env" | "box" | "events" | "queue">,
  actor: Actor,
  projectId: string,
  input: { confirmName: string; deleteVolumes: boolean },
) {
  const { project } = await loadProject(deps.db, actor, projectId, "admin");
  if (input.confirmName.trim() !== project.name)
    throw new DomainError("INVALID", "Type the project's name to confirm", { confirmName: `Type ${project.name} to confirm` });
  const services = await deps.db.service.findMany({
    where: { projectId },
    select: { id: true, name: true, desiredState: true, serverId: true, placement: true },
  });
  // Where they run answers first: a standalone server or cluster manager that does not stops the
  // delete before anything changed (their deployments and runs go on; a retry finishes it).
  const targets = await Promise.all(services.map((s) => serviceEngineOf(deps, s)));
  for (const target of new Map(targets.map((t) => [t.server?.id ?? null, t])).values()) await assertAnswers(target);
  const swarm = services.some((s) => s.placement === "cluster") ? await clusterServicesOf(deps) : null;
  // Their deployments and runs first: one still running would leave what it makes after the removal behind.
  const serviceIds = services.map((s) => s.id);
  await stopDeployments(deps, { teamId: project.teamId, serviceIds }, "Cancelled: the project was deleted");
  await stopRuns(deps, serviceIds);
  // Services on the cluster: their Swarm services first.
  for (const s of services) if (s.placement === "cluster") await swarm?.removeSwarmService(s.id);
  // Each on its engine: Berth's own, or the standalone remote server's it is placed on.
  const engines = new Map(services.map((s, i) => [s.id, targets[i]!.engine] as const));
  await takeDown(deps.db, services, async () => {
    for (const s of services) await (engines.get(s.id) ?? deps.engine).removeService(s.id);
  });
  const volumes = await deps.db.volume.findMany({ where: { projectId }, select: { id: true, name: true, hostPath: true } });
  const removedVolumes = input.deleteVolumes ? await removeVolumes(deps, projectId, volumes) : [];
  const keptVolumes = volumes.map((v) => v.name).filter((n) => !removedVolumes.includes(n));
  await deps.db.project.delete({ where: { id: projectId } });
  for (const s of services) {
    // Built here; a remote server holds a copy.
    for (const engine of new Set([deps.engine, engines.get(s.id) ?? deps.engine]))
      await engine
        .removeRepositoryImages(buildRepository(s.id))
        .catch((err: unknown) => deps.log.warn({ serviceId: s.id, err: String(err) }, "could not remove a deleted service's build images"));
    await removeGitCache(deps, s.id);
  }
  for (const engine of new Set([deps.engine, ...engines.values()]))
    await engine
      .pruneNetworks({ projectId })
      .catch((err: unknown) => deps.log.warn({ projectId, err: String(err) }, "could not remove the project's network"));
  await deps.proxy?.apply().catch((err: unknown) => deps.log.warn({ err: String(err) }, "edge proxy apply failed; the watcher retries"));
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    action: "project.delete",
    targetType: "project",
    targetId: projectId,
    detail: { name: project.name, services: services.map((s) => s.name), volumesDeleted: removedVolumes, volumesKept: keptVolumes },
  });
  return { ok: true as const, teamId: project.teamId, volumesKept: keptVolumes };
}
