/**
 * Restore a backup into the same database. The file's SHA-256 is checked first (a corrupt or
 * truncated file is refused before anything runs); then it streams from the destination into
 * the engine's restore command's stdin, which runs in one transaction: if anything fails,
 * nothing changed. Admins only (it overwrites the database). Each restore has a row whose step
 * and log the page shows while it runs (restore-run.ts).
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Readable } from "node:stream";
import type { DatabaseBackup } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { redact } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { databaseTarget, runningContainer, tailCollector, type DatabaseTarget } from "./database-target.ts";
import { assertNoRestoreRunning, beginRestore, tracked, type RestoreRun } from "./restore-run.ts";
import { storageError } from "./run-backup.ts";
import type { BackupStore } from "./stores.ts";

type RestoreDeps = Pick<Deps, "db" | "env" | "engine" | "log">;

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
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

/** Refuse a backup on another kind of destination, or whose file no longer matches its checksum, before anything changes. */
export async function assertBackupIntact(target: { destinationKind: "directory" | "s3"; store: BackupStore }, backup: DatabaseBackup, unchanged: string): Promise<void> {
  if (target.destinationKind !== backup.destinationKind) throw new DomainError("CONFLICT", `This backup is on a ${backup.destinationKind} destination; the project's destination is now ${target.destinationKind}`);
  const checked = await target.store.read(backup.location).then(sha256Of, (err: unknown) => {
    throw storageError(err, target);
  });
  if (checked.sha256 !== backup.sha256 || checked.size !== Number(backup.sizeBytes)) {
    throw new DomainError(
      "INVALID",
      `The backup file is corrupt or truncated (${checked.size} of ${backup.sizeBytes} bytes, SHA-256 ${checked.sha256.slice(0, 12)} instead of ${backup.sha256.slice(0, 12)}): nothing was restored, ${unchanged} is unchanged`,
    );
  }
}

/** Stream the backup file into the restore command of the database `target` (one transaction). Returns the command's (redacted) log. */
export async function streamIntoDatabase(deps: RestoreDeps, target: DatabaseTarget, containerId: string, backup: DatabaseBackup, store: BackupStore, run: RestoreRun): Promise<string> {
  const name = target.service.name;
  await run.step(`Restoring into ${name}`);
  const session = await deps.engine.openExec(containerId, { cmd: target.recipe.restore(target.vars), env: target.recipe.env(target.vars), stdin: true });
  const stderr = tailCollector();
  session.stderr.on("data", (c: Buffer) => stderr.push(c));
  session.stdout.resume();
  try {
    const source = await store.read(backup.location);
    for await (const chunk of source) {
      if (!session.stdin.write(chunk)) await once(session.stdin, "drain");
    }
    session.endInput();
  } catch (err) {
    // Closing mid-stream: the restore sees a truncated archive and rolls its transaction back.
    session.close();
    await session.wait().catch(() => null);
    throw new DomainError("ENGINE_FAILED", `Reading the backup failed midway (${(err as Error).message}); the restore was rolled back, ${name} is unchanged`);
  }
  const exitCode = await session.wait();
  const log = redact(stderr.text(), target.needles);
  await run.append(log);
  if (exitCode !== 0) {
    const last = log.trim().split("\n").slice(-3).join(" ");
    throw new DomainError("ENGINE_FAILED", `The restore failed (exit code ${exitCode}) and was rolled back: ${name} is unchanged.${last ? ` ${last}` : ""}`);
  }
  return log;
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
    await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "backup.restore", targetType: "service", targetId: service.id, detail: { backupId, ok } });
  }
}
