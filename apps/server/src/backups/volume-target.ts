/** What a backup or restore of one of a service's named volumes needs: the volume and the project's destination store. */
import type { VolumeRef } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { invalidField } from "../errors.ts";
import { backupPlacementProblem } from "./backup-placement.ts";
import type { BackupStore } from "./stores.ts";
import { serviceAndStore } from "./database-target.ts";

export interface VolumeTarget {
  service: { id: string; name: string; projectId: string; teamId: string; projectName: string };
  ref: VolumeRef;
  destinationKind: "directory" | "s3";
  store: BackupStore;
}

/** Only the service's own named volumes (a bind mount is the host's directory, not Berth's to archive). */
export async function volumeTarget(deps: Pick<Deps, "db" | "env" | "box">, serviceId: string, volume: string): Promise<VolumeTarget> {
  const { service, destination } = await serviceAndStore(deps, serviceId);
  const row = await deps.db.volume.findFirst({ where: { serviceId, name: volume } });
  if (!row) throw invalidField("volume", `${service.name} has no volume named ${volume}`);
  const placed = await deps.db.service.findUniqueOrThrow({ where: { id: serviceId }, select: { placement: true, serverId: true } });
  const problem = backupPlacementProblem(placed);
  if (problem) throw invalidField("volume", problem);
  if (row.hostPath)
    throw invalidField("volume", `${volume} is a bind mount of ${row.hostPath} on the host: back up that directory on the host`);
  return { service, ref: { owner: { teamId: service.teamId, projectId: service.projectId, serviceId }, volume }, ...destination() };
}
