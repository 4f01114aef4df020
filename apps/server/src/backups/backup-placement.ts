/**
 * Where a service runs decides whether Berth can back it up: backups and restores of a database or
 * volume read its data through a container on Berth's own engine. A cluster service's data lives
 * on its pinned node, a standalone server's on that server; both are refused clearly at the field
 * rather than failing on a missing container.
 */
import { CLUSTER_BACKUP } from "../cluster/service-placement.ts";

export const REMOTE_BACKUP =
  "Backups and restores of a service on a standalone server are not supported yet: its data lives on that server";

/** Why this service's data cannot be backed up or restored here, or null. PURE. */
export function backupPlacementProblem(service: { placement: string; serverId: string | null }): string | null {
  if (service.placement === "cluster") return CLUSTER_BACKUP;
  if (service.serverId !== null) return REMOTE_BACKUP;
  return null;
}
