/**
 * Restore a backup into the same database. Before anything touches the database the file is
 * read once whole: its SHA-256 and size must match the backup's record and, for dumps with a
 * completion line (MariaDB), that line must end it -- a corrupt or truncated file is refused
 * with the database unchanged. Then the engine's restore runs:
 * - a stream into the restore command's stdin (restore-stream.ts): PostgreSQL in one
 *   transaction (a failure changes nothing); MariaDB table by table (a failure says which table
 *   it stopped in);
 * - an RDB snapshot swapped in and the container restarted (restore-redis.ts).
 * Admins only (it overwrites the database). Each restore has a row whose step and log the page
 * shows while it runs (restore-run.ts).
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { DatabaseBackup } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { redact } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import type { BackupRecipe } from "../databases/database-engines.ts";
import { databaseTarget, endsComplete, runningContainer, tailCollector, type DatabaseTarget } from "./database-target.ts";
import { restoreRedisSnapshot } from "./restore-redis.ts";
import { assertNoRestoreRunning, beginRestore, tracked, type RestoreRun } from "./restore-run.ts";
import { restoreStream } from "./restore-stream.ts";
import { storageError } from "./run-backup.ts";
import type { BackupStore } from "./stores.ts";

export type RestoreDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "box">;

async function digestOf(stream: Readable): Promise<{ sha256: string; size: number; tail: string }> {
  const hash = createHash("sha256");
  const end = tailCollector(1024);
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    end.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size, tail: end.text() };
}

/** A successful backup of this service (of the database, or of `volume`), with the admin's access checked. */
export async function loadRestorableBackup(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, backupId: string, volume: string) {
  const backup = await deps.db.databaseBackup.findUnique({ where: { id: backupId } });
  // Another service's backup id (or a backup of another kind) looks like an unknown one.
  if (!backup || backup.serviceId !== serviceId || (backup.volume !== "") !== (volume !== "")) throw notFound("Backup");
  const { service } = await loadService(deps.db, actor, backup.serviceId, "admin");
  if (backup.status !== "succeeded") throw new DomainError("INVALID", "Only a successful backup can be restored");
  return { backup, service };
}

/**
 * Refuse a backup on another kind of destination, or whose file is not the one the backup wrote
 * (checksum, size, and for a database dump with a completion line that line), before anything
 * changes. `unchanged` names what is left as it was.
 */
export async function assertBackupIntact(
  target: { destinationKind: "directory" | "s3"; store: BackupStore; recipe?: Pick<BackupRecipe, "completeMarker"> },
  backup: DatabaseBackup,
  unchanged: string,
): Promise<void> {
  if (target.destinationKind !== backup.destinationKind)
    throw new DomainError(
      "CONFLICT",
      `This backup is on a ${backup.destinationKind} destination; the project's destination is now ${target.destinationKind}`,
    );
  const checked = await target.store.read(backup.location).then(digestOf, (err: unknown) => {
    throw storageError(err, target);
  });
  if (checked.sha256 !== backup.sha256 || checked.size !== Number(backup.sizeBytes)) {
    throw new DomainError(
      "INVALID",
      `The backup file is corrupt or truncated (${checked.size} of ${backup.sizeBytes} bytes, SHA-256 ${checked.sha256.slice(0, 12)} instead of ${backup.sha256?.slice(0, 12)}): nothing was restored, ${unchanged} is unchanged`,
    );
  }
  if (target.recipe && !endsComplete(target.recipe, checked.tail)) {
    throw new DomainError(
      "INVALID",
      `The backup file is truncated (its last line is not "${target.recipe.completeMarker}"): nothing was restored, ${unchanged} is unchanged`,
    );
  }
}

/** Put the backup file (read from `store`) into the database `target` with its engine's restore. Returns the (redacted) log. */
export async function streamIntoDatabase(
  deps: RestoreDeps,
  target: DatabaseTarget,
  containerId: string,
  backup: DatabaseBackup,
  store: BackupStore,
  run: RestoreRun,
): Promise<string> {
  await run.step(`Restoring into ${target.service.name}`);
  const from = { ...target, store };
  const restore = target.recipe.restore;
  try {
    const log = redact(
      restore.kind === "rdb-file"
        ? await restoreRedisSnapshot(deps, from, containerId, backup.location)
        : await restoreStream(deps, from, restore, containerId, backup.location),
      target.needles,
    );
    await run.append(log);
    return log;
  } catch (err) {
    if (err instanceof DomainError) throw new DomainError(err.code, redact(err.message, target.needles));
    throw err;
  }
}

export async function restoreBackup(deps: RestoreDeps, actor: Actor, serviceId: string, backupId: string) {
  const { backup, service } = await loadRestorableBackup(deps, actor, serviceId, backupId, "");
  const target = await databaseTarget(deps, service.id);
  await assertNoRestoreRunning(deps, service.id, service.name);
  const containerId = await runningContainer(deps, target, "restore it");
  await assertBackupIntact(target, backup, service.name);

  const t0 = Date.now();
  const run = await beginRestore(deps, { backupId, serviceId: service.id });
  let ok = false;
  try {
    const log = await tracked(run, () => streamIntoDatabase(deps, target, containerId, backup, target.store, run));
    ok = true;
    await deps.db.databaseBackup.update({ where: { id: backupId }, data: { restoredAt: new Date() } });
    return { ok: true as const, restoreId: run.id, durationMs: Date.now() - t0, log };
  } finally {
    await recordAudit(deps.db, actor, {
      teamId: service.project.teamId,
      action: "backup.restore",
      targetType: "service",
      targetId: service.id,
      detail: { backupId, ok },
    });
  }
}
