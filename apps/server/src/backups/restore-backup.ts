/**
 * Restore a backup into the same database. The file's SHA-256 is checked first (a corrupt or
 * truncated file is refused before anything runs); then it streams from the destination into
 * the engine's restore command's stdin, which runs in one transaction: if anything fails,
 * nothing changed. Admins only (it overwrites the database).
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Readable } from "node:stream";
import type { Deps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { redact } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { databaseTarget, runningContainer, tailCollector } from "./database-target.ts";
import { storageError } from "./run-backup.ts";

async function sha256Of(stream: Readable): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

export async function restoreBackup(deps: Pick<Deps, "db" | "env" | "engine" | "log">, actor: Actor, serviceId: string, backupId: string) {
  const backup = await deps.db.databaseBackup.findUnique({ where: { id: backupId } });
  // Another service's backup id looks like an unknown one.
  if (!backup || backup.serviceId !== serviceId) throw notFound("Backup");
  const { service } = await loadService(deps.db, actor, backup.serviceId, "admin");
  if (backup.status !== "succeeded") throw new DomainError("INVALID", "Only a successful backup can be restored");
  const target = await databaseTarget(deps, service.id);
  if (target.destinationKind !== backup.destinationKind) throw new DomainError("CONFLICT", `This backup is on a ${backup.destinationKind} destination; the project's destination is now ${target.destinationKind}`);
  const containerId = await runningContainer(deps, target, "restore it");

  const checked = await target.store.read(backup.location).then(sha256Of, (err: unknown) => {
    throw storageError(err, target);
  });
  if (checked.sha256 !== backup.sha256 || checked.size !== Number(backup.sizeBytes)) {
    throw new DomainError(
      "INVALID",
      `The backup file is corrupt or truncated (${checked.size} of ${backup.sizeBytes} bytes, SHA-256 ${checked.sha256.slice(0, 12)} instead of ${backup.sha256.slice(0, 12)}): nothing was restored, ${service.name} is unchanged`,
    );
  }

  const t0 = Date.now();
  const session = await deps.engine.openExec(containerId, { cmd: target.recipe.restore(target.vars), env: target.recipe.env(target.vars), stdin: true });
  const stderr = tailCollector();
  session.stderr.on("data", (c: Buffer) => stderr.push(c));
  session.stdout.resume();
  try {
    const source = await target.store.read(backup.location);
    for await (const chunk of source) {
      if (!session.stdin.write(chunk)) await once(session.stdin, "drain");
    }
    session.endInput();
  } catch (err) {
    // Closing mid-stream: the restore sees a truncated archive and rolls its transaction back.
    session.close();
    await session.wait().catch(() => null);
    throw new DomainError("ENGINE_FAILED", `Reading the backup failed midway (${(err as Error).message}); the restore was rolled back, ${service.name} is unchanged`);
  }
  const exitCode = await session.wait();
  const log = redact(stderr.text(), target.needles);
  await recordAudit(deps.db, actor, { teamId: service.project.teamId, action: "backup.restore", targetType: "service", targetId: service.id, detail: { backupId, ok: exitCode === 0 } });
  if (exitCode !== 0) {
    const last = log.trim().split("\n").slice(-3).join(" ");
    throw new DomainError("ENGINE_FAILED", `The restore failed (exit code ${exitCode}) and was rolled back: ${service.name} is unchanged.${last ? ` ${last}` : ""}`);
  }
  await deps.db.databaseBackup.update({ where: { id: backupId }, data: { restoredAt: new Date() } });
  return { ok: true as const, durationMs: Date.now() - t0, log };
}
