/**
 * Restore a backup into the same database. Before anything touches the database the file is
 * read once whole: its SHA-256 and size must match the backup's record and, for dumps with a
 * completion line (MariaDB), that line must end it -- a corrupt or truncated file is refused
 * with the database unchanged. Then the engine's restore runs:
 * - a stream into the restore command's stdin (restore-stream.ts): PostgreSQL in one
 *   transaction (a failure changes nothing); MariaDB table by table (a failure says which table
 *   it stopped in);
 * - an RDB snapshot swapped in and the container restarted (restore-redis.ts).
 * Admins only (it overwrites the database).
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { Deps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { redact } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { databaseTarget, endsComplete, runningContainer, tailCollector, type DatabaseTarget } from "./database-target.ts";
import { restoreRedisSnapshot } from "./restore-redis.ts";
import { restoreStream } from "./restore-stream.ts";
import { storageError } from "./run-backup.ts";

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

/** Read the whole file; throw INVALID (nothing restored) unless it is the file the backup wrote, complete. */
async function verifyFile(target: DatabaseTarget, backup: { location: string; sha256: string | null; sizeBytes: bigint }) {
  const checked = await target.store.read(backup.location).then(digestOf, (err: unknown) => {
    throw storageError(err, target);
  });
  if (checked.sha256 !== backup.sha256 || checked.size !== Number(backup.sizeBytes)) {
    throw new DomainError(
      "INVALID",
      `The backup file is corrupt or truncated (${checked.size} of ${backup.sizeBytes} bytes, SHA-256 ${checked.sha256.slice(0, 12)} instead of ${backup.sha256?.slice(0, 12)}): nothing was restored, ${target.service.name} is unchanged`,
    );
  }
  if (!endsComplete(target.recipe, checked.tail)) {
    throw new DomainError("INVALID", `The backup file is truncated (its last line is not "${target.recipe.completeMarker}"): nothing was restored, ${target.service.name} is unchanged`);
  }
}

export type RestoreDeps = Pick<Deps, "db" | "env" | "engine" | "log">;

export async function restoreBackup(deps: RestoreDeps, actor: Actor, serviceId: string, backupId: string) {
  const backup = await deps.db.databaseBackup.findUnique({ where: { id: backupId } });
  // Another service's backup id looks like an unknown one.
  if (!backup || backup.serviceId !== serviceId) throw notFound("Backup");
  const { service } = await loadService(deps.db, actor, backup.serviceId, "admin");
  if (backup.status !== "succeeded") throw new DomainError("INVALID", "Only a successful backup can be restored");
  const target = await databaseTarget(deps, service.id);
  if (target.destinationKind !== backup.destinationKind) throw new DomainError("CONFLICT", `This backup is on a ${backup.destinationKind} destination; the project's destination is now ${target.destinationKind}`);
  const containerId = await runningContainer(deps, target, "restore it");
  await verifyFile(target, backup);

  const t0 = Date.now();
  const restore = target.recipe.restore;
  let log = "";
  try {
    log = restore.kind === "rdb-file" ? await restoreRedisSnapshot(deps, target, containerId, backup.location) : await restoreStream(deps, target, restore, containerId, backup.location);
  } catch (err) {
    await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "backup.restore", targetType: "service", targetId: service.id, detail: { backupId, ok: false } });
    if (err instanceof DomainError) throw new DomainError(err.code, redact(err.message, target.needles));
    throw err;
  }
  await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "backup.restore", targetType: "service", targetId: service.id, detail: { backupId, ok: true } });
  await deps.db.databaseBackup.update({ where: { id: backupId }, data: { restoredAt: new Date() } });
  return { ok: true as const, durationMs: Date.now() - t0, log: redact(log, target.needles) };
}
