/**
 * A service's volumes as its settings list them. A volume belongs to one service of its
 * project at a time; one left out of the list is detached (kept with its data, listed on the
 * project page), never removed: only `deleteVolume` removes data, when a user asks.
 */
import type { Prisma } from "@berth/db";
import { bindSourcesProblem } from "@berth/engine";
import { invalidField } from "../errors.ts";

export interface VolumeSetting {
  name: string;
  mountPath: string;
  readOnly: boolean;
  hostPath: string | null;
}

/**
 * Refuse host paths unless the instance allows them, and always what the engine refuses at
 * deploy time (its denylist, on the path as given and on its realpath on this host): the same
 * rule when saving as when releasing.
 */
export async function checkHostPaths(volumes: VolumeSetting[], allowBindMounts: boolean): Promise<void> {
  for (const [i, v] of volumes.entries()) {
    if (v.hostPath === null) continue;
    const field = `volumes.${i}.hostPath`;
    if (!allowBindMounts)
      throw invalidField(field, "Mounting host paths is off on this instance; an instance owner can allow it in Settings");
    const problem = await bindSourcesProblem([{ type: "bind", source: v.hostPath, target: v.mountPath }]);
    if (problem !== null) throw invalidField(field, problem.replace(/^volumes\[\d+\]\.source /, "The host path "));
  }
}

/** Make the service's volumes exactly `volumes` (attach, update, detach) inside a transaction. */
export async function syncServiceVolumes(
  tx: Prisma.TransactionClient,
  target: { projectId: string; serviceId: string },
  volumes: VolumeSetting[],
): Promise<void> {
  const { projectId, serviceId } = target;
  const names = volumes.map((v) => v.name);
  // Detach first, so a path moving from one volume to another never collides.
  await tx.volume.updateMany({ where: { serviceId, name: { notIn: names } }, data: { serviceId: null } });
  const existing = await tx.volume.findMany({
    where: { projectId, name: { in: names } },
    include: { service: { select: { name: true } } },
  });
  for (const [i, v] of volumes.entries()) {
    const row = existing.find((e) => e.name === v.name);
    if (row && row.serviceId !== null && row.serviceId !== serviceId) {
      throw invalidField(
        `volumes.${i}.name`,
        `A volume named ${v.name} belongs to the service ${row.service?.name ?? "?"} in this project; choose another name`,
      );
    }
    if (row && row.hostPath !== v.hostPath && row.serviceId === null) {
      throw invalidField(
        `volumes.${i}.name`,
        `A detached volume named ${v.name} exists in this project with other data; delete it first or choose another name`,
      );
    }
  }
  // Volumes that stay may swap paths: park each on a unique placeholder before the final paths.
  for (const row of existing.filter((e) => e.serviceId === serviceId)) {
    await tx.volume.update({ where: { id: row.id }, data: { mountPath: `/.berth-moving/${row.id}` } });
  }
  for (const v of volumes) {
    const row = existing.find((e) => e.name === v.name);
    const data = { mountPath: v.mountPath, readOnly: v.readOnly, hostPath: v.hostPath, serviceId };
    if (row) await tx.volume.update({ where: { id: row.id }, data });
    else await tx.volume.create({ data: { projectId, name: v.name, ...data } });
  }
}
