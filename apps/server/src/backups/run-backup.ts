/**
 * Back up a database now: the engine's dump command runs in its container (exec, argv, the
 * credentials in the exec's environment), and its stdout streams through a SHA-256 into the
 * destination -- no temporary file, no whole dump in memory. A database_backup row records
 * the outcome; a failure is recorded, notified, and thrown.
 */
import { createHash } from "node:crypto";
import { Transform } from "node:stream";
import type { DatabaseBackup } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { notifyBackupFailure } from "../notifications/notifier.ts";
import { redact } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { databaseTarget, endsComplete, runningContainer, tailCollector, type DatabaseTarget } from "./database-target.ts";
import { describeS3Error } from "./s3-problem.ts";
import { applyRetention } from "./retention.ts";

export type BackupDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "mailer">;

export function backupView(b: DatabaseBackup) {
  return { ...b, sizeBytes: Number(b.sizeBytes) };
}

/** A member asks for a backup now. */
export async function backupNow(deps: BackupDeps, actor: Actor, serviceId: string) {
  await loadService(deps.db, actor, serviceId, "member");
  return backupView(await runBackup(deps, serviceId, { trigger: "manual", actor }));
}

function keyFor(target: DatabaseTarget, id: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, "-");
  return `${target.service.name}-${target.service.id.slice(0, 8)}/${stamp}-${id.slice(0, 8)}.${target.recipe.extension}`;
}

/** Run one backup. Throws (after recording and notifying) when it fails. */
export async function runBackup(deps: BackupDeps, serviceId: string, opts: { trigger: "manual" | "schedule"; actor: Actor | null; now?: Date }): Promise<DatabaseBackup> {
  const target = await databaseTarget(deps, serviceId).catch(async (err: unknown) => {
    // No destination (or no recipe): a manual backup shows the error; a scheduled one has no viewer, so notify.
    if (opts.trigger === "schedule") await notifyBackupFailure(deps, serviceId, err instanceof Error ? err.message : String(err)).catch(() => undefined);
    throw err;
  });
  const startedAt = opts.now ?? new Date();
  const row = await deps.db.databaseBackup.create({ data: { serviceId, trigger: opts.trigger, destinationKind: target.destinationKind, location: "", startedAt } });
  const location = keyFor(target, row.id, startedAt);
  await deps.db.databaseBackup.update({ where: { id: row.id }, data: { location } });
  const stderr = tailCollector();
  const t0 = Date.now();
  try {
    const containerId = await runningContainer(deps, target, "back it up");
    const session = await deps.engine.openExec(containerId, { cmd: target.recipe.dump(target.vars), env: target.recipe.env(target.vars) });
    session.stderr.on("data", (c: Buffer) => stderr.push(c));
    const hash = createHash("sha256");
    const end = tailCollector(1024);
    let size = 0;
    const hashing = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        end.push(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    session.stdout.pipe(hashing);
    let exitCode: number | null;
    try {
      [, exitCode] = await Promise.all([target.store.write(location, hashing), session.wait()]);
    } catch (err) {
      session.close();
      throw storageError(err, target);
    }
    if (exitCode !== 0) {
      await target.store.remove(location).catch(() => undefined);
      const last = stderr.text().trim().split("\n").slice(-3).join(" ");
      throw new DomainError("ENGINE_FAILED", `The dump of ${target.service.name} failed (exit code ${exitCode})${last ? `: ${last}` : ""}`);
    }
    if (!endsComplete(target.recipe, end.text())) {
      await target.store.remove(location).catch(() => undefined);
      throw new DomainError("ENGINE_FAILED", `The dump of ${target.service.name} ended early: its last line is not "${target.recipe.completeMarker}"`);
    }
    const done = await deps.db.databaseBackup.update({
      where: { id: row.id },
      data: { status: "succeeded", sizeBytes: BigInt(size), sha256: hash.digest("hex"), durationMs: Date.now() - t0, finishedAt: new Date(), log: redact(stderr.text(), target.needles) },
    });
    await recordAudit(deps.db, opts.actor, { teamId: target.service.teamId, action: "backup.create", targetType: "service", targetId: serviceId, detail: { backupId: row.id, trigger: opts.trigger, sizeBytes: size } });
    await applyRetention(deps, serviceId, new Date()).catch((err: unknown) => deps.log.warn({ serviceId, err: String(err) }, "backup retention failed"));
    return done;
  } catch (err) {
    const message = redact(err instanceof Error ? err.message : String(err), target.needles);
    await deps.db.databaseBackup.update({
      where: { id: row.id },
      data: { status: "failed", error: message, durationMs: Date.now() - t0, finishedAt: new Date(), log: redact(`${stderr.text()}\n${message}`.trim(), target.needles) },
    });
    await recordAudit(deps.db, opts.actor, { teamId: target.service.teamId, action: "backup.create", targetType: "service", targetId: serviceId, detail: { backupId: row.id, trigger: opts.trigger, failed: true } });
    await notifyBackupFailure(deps, serviceId, message).catch((e: unknown) => deps.log.error({ serviceId, err: String(e) }, "backup failure notification failed"));
    throw err instanceof DomainError ? err : new DomainError("ENGINE_FAILED", message);
  }
}

/** A storage failure in the user's words (unreachable endpoint, wrong keys, a full disk). */
export function storageError(err: unknown, target: Pick<DatabaseTarget, "destinationKind">): DomainError {
  if (err instanceof DomainError) return err;
  if (target.destinationKind === "directory") {
    const code = (err as { code?: string }).code;
    return new DomainError("ENGINE_FAILED", code === "ENOSPC" ? "The backup directory's disk is full" : `Writing the backup file failed: ${(err as Error).message}`);
  }
  return new DomainError("ENGINE_FAILED", `The backup storage failed: ${describeS3Error(err, { endpoint: "the endpoint", bucket: "the bucket" }).message}`);
}
