/** Retention after a successful backup: delete the files/objects, then the rows, of what the policy (of the database or of one volume) no longer keeps. */
import type { Deps } from "../deps.ts";
import { serviceAndStore } from "./database-target.ts";
import { planBackupRetention } from "./retention-plan.ts";

export async function applyRetention(
  deps: Pick<Deps, "db" | "env" | "engine" | "log" | "box">,
  serviceId: string,
  volume: string,
  now: Date,
): Promise<string[]> {
  const policy = await deps.db.backupPolicy.findUnique({ where: { serviceId_volume: { serviceId, volume } } });
  if (!policy) return [];
  const backups = await deps.db.databaseBackup.findMany({
    where: { serviceId, volume },
    select: { id: true, status: true, startedAt: true, location: true, destinationKind: true },
  });
  const doomed = planBackupRetention(backups, policy, now);
  if (doomed.length === 0) return [];
  const { store, destinationKind } = (await serviceAndStore(deps, serviceId)).destination();
  const removed: string[] = [];
  for (const b of doomed) {
    // A backup on another kind of destination (the project's destination changed) is not reachable here: keep its row.
    if (b.destinationKind !== destinationKind) continue;
    try {
      if (b.status === "succeeded") await store.remove(b.location);
      await deps.db.databaseBackup.delete({ where: { id: b.id } });
      removed.push(b.id);
    } catch (err) {
      deps.log.warn({ serviceId, backupId: b.id, err: String(err) }, "could not delete an expired backup");
    }
  }
  return removed;
}
