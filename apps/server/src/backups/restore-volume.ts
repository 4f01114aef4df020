/**
 * Restore a volume's backup: the archive's checksum is checked first (a corrupt file changes
 * nothing); then the service is stopped, the volume emptied and the archive put back through a
 * helper container (engine/volume-archive.ts), and the service started again if it was running
 * -- also when the restore fails, whose error then says the volume may be partly restored.
 */
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import type { Actor } from "../teams/access.ts";
import { assertBackupIntact, loadRestorableBackup } from "./restore-backup.ts";
import { assertNoRestoreRunning, beginRestore, tracked } from "./restore-run.ts";
import { volumeTarget } from "./volume-target.ts";

export async function restoreVolumeBackup(
  deps: Pick<Deps, "db" | "env" | "engine" | "log" | "box">,
  actor: Actor,
  serviceId: string,
  backupId: string,
) {
  const { backup, service } = await loadRestorableBackup(deps, actor, serviceId, backupId, "volume");
  const target = await volumeTarget(deps, service.id, backup.volume);
  await assertNoRestoreRunning(deps, service.id, service.name);
  await assertBackupIntact(target, backup, `volume ${backup.volume}`);
  const run = await beginRestore(deps, { backupId, serviceId: service.id });
  const t0 = Date.now();
  let ok = false;
  try {
    await tracked(run, async () => {
      const wasRunning = (await deps.engine.listManaged({ serviceId: service.id })).some((c) => c.state === "running");
      if (wasRunning) {
        await run.step(`Stopping ${service.name}`);
        await deps.engine.stopService(service.id);
      }
      try {
        await run.step(`Replacing the contents of volume ${backup.volume}`);
        const archive = await target.store.read(backup.location);
        await deps.engine.restoreVolume(target.ref, archive).catch((err: unknown) => {
          archive.destroy();
          const why = err instanceof Error ? err.message : String(err);
          throw new DomainError(
            "ENGINE_FAILED",
            why.includes("the volume is unchanged")
              ? why
              : `The restore of volume ${backup.volume} failed: ${why}. The volume may be partly restored: restore again from a good backup`,
          );
        });
      } finally {
        if (wasRunning) {
          await run.step(`Starting ${service.name} again`);
          await deps.engine.startService(service.id);
        }
      }
      await run.step(`Restored volume ${backup.volume}`);
    });
    ok = true;
    await deps.db.databaseBackup.update({ where: { id: backupId }, data: { restoredAt: new Date() } });
    return { ok: true as const, restoreId: run.id, durationMs: Date.now() - t0 };
  } finally {
    await recordAudit(deps.db, actor, {
      teamId: service.project.teamId,
      action: "backup.restore",
      targetType: "service",
      targetId: service.id,
      detail: { backupId, volume: backup.volume, ok },
    });
  }
}
