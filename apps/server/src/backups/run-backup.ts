/**
 * Back up a database now: the engine's dump command runs in its container (exec, argv, the
 * credentials in the exec's environment), and its stdout streams through a SHA-256 into the
 * destination -- no temporary file, no whole dump in memory. A database_backup row records
 * the outcome; a failure is recorded, notified, and thrown.
 */
import { createHash } from "node:crypto";
import { pipeline, Transform, type Readable } from "node:stream";
import type { DatabaseBackup } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { notifyBackupFailure } from "../notifications/notifier.ts";
import { redact } from "../secrets/redaction.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { databaseTarget, endsComplete, runningContainer, tailCollector, type DatabaseTarget } from "./database-target.ts";
import { describeS3Error } from "./s3-problem.ts";
import { holdLease, leaseFields } from "./lease.ts";
import { applyRetention } from "./retention.ts";
import { volumeTarget, type VolumeTarget } from "./volume-target.ts";

export type BackupDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "mailer" | "box">;

export function backupView(b: DatabaseBackup) {
  return { ...b, sizeBytes: Number(b.sizeBytes) };
}

/** A member asks for a backup now: of the database (volume "") or of one of the service's named volumes. */
export async function backupNow(deps: BackupDeps, actor: Actor, serviceId: string, volume = "") {
  await loadService(deps.db, actor, serviceId, "member");
  return backupView(await runBackup(deps, serviceId, { trigger: "manual", actor, volume }));
}

type Target = (DatabaseTarget & { kind: "database"; volume: "" }) | (VolumeTarget & { kind: "volume"; volume: string });

export async function backupTarget(deps: Pick<Deps, "db" | "env" | "engine" | "box">, serviceId: string, volume: string): Promise<Target> {
  if (volume) return { ...(await volumeTarget(deps, serviceId, volume)), kind: "volume", volume };
  return { ...(await databaseTarget(deps, serviceId)), kind: "database", volume: "" };
}

/** What is backed up, in the user's words. */
export const subjectOf = (target: Pick<Target, "service" | "volume">) =>
  target.volume ? `volume ${target.volume} of ${target.service.name}` : `database ${target.service.name}`;

function keyFor(target: Target, id: string, at: Date): string {
  const stamp = at.toISOString().replace(/[:.]/g, "-");
  const folder = `${target.service.name}-${target.service.id.slice(0, 8)}`;
  // Beside the database's dumps, named for the volume.
  return target.kind === "volume"
    ? `${folder}/volume-${target.volume}-${stamp}-${id.slice(0, 8)}.tar`
    : `${folder}/${stamp}-${id.slice(0, 8)}.${target.recipe.extension}`;
}

/** The bytes of a backup as they are made, and when making them ended (rejects with the reason). */
interface Source {
  stream: Readable;
  finished: Promise<void>;
  abort(): void;
}

/** The engine's dump command in the database's container (argv; credentials in the exec's environment). */
async function dumpSource(
  deps: Pick<Deps, "db" | "engine">,
  target: DatabaseTarget,
  stderr: ReturnType<typeof tailCollector>,
): Promise<Source> {
  const containerId = await runningContainer(deps, target, "back it up");
  const session = await deps.engine.openExec(containerId, { cmd: target.recipe.dump(target.vars), env: target.recipe.env(target.vars) });
  session.stderr.on("data", (c: Buffer) => stderr.push(c));
  const finished = session.wait().then((exitCode) => {
    if (exitCode === 0) return;
    const last = stderr.text().trim().split("\n").slice(-3).join(" ");
    throw new DomainError("ENGINE_FAILED", `The dump of ${target.service.name} failed (exit code ${exitCode})${last ? `: ${last}` : ""}`);
  });
  return { stream: session.stdout, finished, abort: () => session.close() };
}

/** A tar of the volume, read through a helper container of the service's image (taken while the service runs). */
async function archiveSource(deps: Pick<Deps, "engine">, target: VolumeTarget): Promise<Source> {
  const { stream, done } = await deps.engine.archiveVolume(target.ref);
  return { stream, finished: done(), abort: () => stream.destroy() };
}

/** Run one backup. Throws (after recording and notifying) when it fails. */
export async function runBackup(
  deps: BackupDeps,
  serviceId: string,
  opts: { trigger: "manual" | "schedule"; actor: Actor | null; now?: Date; volume?: string },
): Promise<DatabaseBackup> {
  const volume = opts.volume ?? "";
  const target = await backupTarget(deps, serviceId, volume).catch(async (err: unknown) => {
    // No destination (or no recipe): a manual backup shows the error; a scheduled one has no viewer, so notify.
    if (opts.trigger === "schedule")
      await notifyBackupFailure(deps, serviceId, err instanceof Error ? err.message : String(err)).catch(() => undefined);
    throw err;
  });
  const needles = target.kind === "volume" ? [] : target.needles;
  const startedAt = opts.now ?? new Date();
  const row = await deps.db.databaseBackup.create({
    data: { serviceId, volume, trigger: opts.trigger, destinationKind: target.destinationKind, location: "", startedAt, ...leaseFields() },
  });
  const releaseLease = holdLease(deps.db, { kind: "backup", id: row.id });
  const location = keyFor(target, row.id, startedAt);
  await deps.db.databaseBackup.update({ where: { id: row.id }, data: { location } });
  const stderr = tailCollector();
  const t0 = Date.now();
  try {
    const source = target.kind === "volume" ? await archiveSource(deps, target) : await dumpSource(deps, target, stderr);
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
    // A source that fails midway fails the write too (pipeline destroys what follows it).
    pipeline(source.stream, hashing, () => undefined);
    const writing = target.store.write(location, hashing);
    // A store that fails stops the source (else it would wait on a full pipe for ever).
    writing.catch(() => source.abort());
    const [wrote, made] = await Promise.allSettled([writing, source.finished]);
    // A failed store stopped the source: its error is the one to report.
    if (wrote.status === "rejected") throw storageError(wrote.reason, target);
    if (made.status === "rejected") {
      await target.store.remove(location).catch(() => undefined);
      throw made.reason;
    }
    if (target.kind === "database" && !endsComplete(target.recipe, end.text())) {
      await target.store.remove(location).catch(() => undefined);
      throw new DomainError(
        "ENGINE_FAILED",
        `The dump of ${target.service.name} ended early: its last line is not "${target.recipe.completeMarker}"`,
      );
    }
    const done = await deps.db.databaseBackup.update({
      where: { id: row.id },
      data: {
        status: "succeeded",
        sizeBytes: BigInt(size),
        sha256: hash.digest("hex"),
        durationMs: Date.now() - t0,
        finishedAt: new Date(),
        leaseUntil: null,
        log: redact(stderr.text(), needles),
      },
    });
    await recordAudit(deps.db, opts.actor, {
      teamId: target.service.teamId,
      action: "backup.create",
      targetType: "service",
      targetId: serviceId,
      detail: { backupId: row.id, trigger: opts.trigger, sizeBytes: size, ...(volume ? { volume } : {}) },
    });
    await applyRetention(deps, serviceId, volume, new Date()).catch((err: unknown) =>
      deps.log.warn({ serviceId, err: String(err) }, "backup retention failed"),
    );
    return done;
  } catch (err) {
    const message = redact(err instanceof Error ? err.message : String(err), needles);
    await deps.db.databaseBackup.update({
      where: { id: row.id },
      data: {
        status: "failed",
        error: message,
        durationMs: Date.now() - t0,
        finishedAt: new Date(),
        leaseUntil: null,
        log: redact(`${stderr.text()}\n${message}`.trim(), needles),
      },
    });
    await recordAudit(deps.db, opts.actor, {
      teamId: target.service.teamId,
      action: "backup.create",
      targetType: "service",
      targetId: serviceId,
      detail: { backupId: row.id, trigger: opts.trigger, failed: true },
    });
    await notifyBackupFailure(deps, serviceId, message).catch((e: unknown) =>
      deps.log.error({ serviceId, err: String(e) }, "backup failure notification failed"),
    );
    throw err instanceof DomainError ? err : new DomainError("ENGINE_FAILED", message);
  } finally {
    releaseLease();
  }
}

/** A storage failure in the user's words (unreachable endpoint, wrong keys, a full disk). */
export function storageError(err: unknown, target: Pick<DatabaseTarget, "destinationKind">): DomainError {
  if (err instanceof DomainError) return err;
  if (target.destinationKind === "directory") {
    const code = (err as { code?: string }).code;
    return new DomainError(
      "ENGINE_FAILED",
      code === "ENOSPC" ? "The backup directory's disk is full" : `Writing the backup file failed: ${(err as Error).message}`,
    );
  }
  return new DomainError(
    "ENGINE_FAILED",
    `The backup storage failed: ${describeS3Error(err, { endpoint: "the endpoint", bucket: "the bucket" }).message}`,
  );
}
