/**
 * Volumes as users see them: listed per project with size and who mounts them, and deleted
 * only on request (the data goes with them). Nothing else in Berth removes a volume.
 */
import type { Deps } from "../deps.ts";
import { snapshotVolumes } from "../deployments/release-config.ts";
import { recordAudit } from "../audit/audit.ts";
import { DomainError, notFound } from "../errors.ts";
import { type Actor, loadProject } from "../teams/access.ts";

export async function listVolumes(deps: Pick<Deps, "db" | "engine">, actor: Actor, projectId: string) {
  await loadProject(deps.db, actor, projectId, "viewer");
  const rows = await deps.db.volume.findMany({
    where: { projectId },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      mountPath: true,
      readOnly: true,
      hostPath: true,
      createdAt: true,
      service: { select: { id: true, name: true } },
    },
  });
  let engineVolumes: Awaited<ReturnType<Deps["engine"]["listVolumes"]>> = [];
  let engineError: string | null = null;
  try {
    engineVolumes = await deps.engine.listVolumes({ projectId });
  } catch (err) {
    engineError = err instanceof Error ? err.message : String(err);
  }
  // Which release mounts it: the live release of the service it belongs to (names only).
  const serviceIds = [...new Set(rows.flatMap((v) => (v.service ? [v.service.id] : [])))];
  const releases = await deps.db.release.findMany({
    where: { serviceId: { in: serviceIds } },
    orderBy: { number: "desc" },
    distinct: ["serviceId"],
    select: { serviceId: true, number: true, config: true },
  });
  return {
    engineError,
    volumes: rows.map((v) => {
      const live = v.hostPath === null ? engineVolumes.find((e: { name: string }) => e.name === v.name) : undefined;
      const release = v.service ? releases.find((r) => r.serviceId === v.service?.id) : undefined;
      const mounted = release ? snapshotVolumes(release.config).some((m) => m.name === v.name) : false;
      return {
        ...v,
        sizeBytes: live?.sizeBytes ?? null,
        usedBy: live?.usedBy ?? [],
        exists: v.hostPath !== null || live !== undefined,
        /** The number of the service's latest release when that release mounts this volume. */
        mountedByRelease: mounted ? (release?.number ?? null) : null,
      };
    }),
  };
}

/** Remove named volumes of a project from the engine and their rows; returns the names removed. */
export async function removeVolumes(
  deps: Pick<Deps, "db" | "engine" | "log">,
  projectId: string,
  volumes: { id: string; name: string; hostPath: string | null }[],
): Promise<string[]> {
  const removed: string[] = [];
  for (const v of volumes) {
    try {
      // A bind mount's host directory is the operator's, never Berth's to delete.
      if (v.hostPath === null) await deps.engine.removeVolume(projectId, v.name);
      await deps.db.volume.deleteMany({ where: { id: v.id } });
      removed.push(v.name);
    } catch (err) {
      deps.log.warn({ projectId, volume: v.name, err: String(err) }, "could not remove a volume; it is kept");
    }
  }
  return removed;
}

/** Delete one volume and its data, on request. Refused while a service mounts it. */
export async function deleteVolume(
  deps: Pick<Deps, "db" | "engine" | "log">,
  actor: Actor,
  input: { projectId: string; volumeId: string; confirmName: string },
) {
  const { project } = await loadProject(deps.db, actor, input.projectId, "admin");
  const volume = await deps.db.volume.findFirst({
    where: { id: input.volumeId, projectId: project.id },
    include: { service: { select: { name: true } } },
  });
  if (!volume) throw notFound("Volume");
  if (input.confirmName !== volume.name)
    throw new DomainError("INVALID", "Type the volume's name to confirm", { confirmName: `Type ${volume.name} to confirm` });
  if (volume.service)
    throw new DomainError(
      "CONFLICT",
      `The service ${volume.service.name} mounts this volume: remove it from that service's settings (and deploy) first`,
    );
  if (volume.hostPath === null) await deps.engine.removeVolume(project.id, volume.name);
  await deps.db.volume.delete({ where: { id: volume.id } });
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    action: "volume.delete",
    targetType: "volume",
    targetId: volume.id,
    detail: { name: volume.name },
  });
  return { ok: true as const };
}
