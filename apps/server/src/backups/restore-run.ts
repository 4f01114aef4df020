/**
 * A restore's row: created when it starts, its step and log growing while it runs (the page
 * polls it: progress shown live), ended succeeded or failed with the error. Its lease is held
 * while it runs (lease.ts), so a restore cut off by a crash is ended with what state it left.
 */
import type { Deps } from "../deps.ts";
import { DomainError, notFound } from "../errors.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { holdLease, leaseFields } from "./lease.ts";

export interface RestoreRun {
  id: string;
  /** Say what it does now (shown as the step and appended to the log). */
  step(text: string): Promise<void>;
  /** Append output (e.g. the restore command's stderr). */
  append(text: string): Promise<void>;
}

export async function beginRestore(
  deps: Pick<Deps, "db">,
  ids: { backupId: string; serviceId: string },
): Promise<RestoreRun & { end(err?: unknown): Promise<void> }> {
  const row = await deps.db.backupRestore.create({ data: { ...ids, ...leaseFields() } });
  const release = holdLease(deps.db, { kind: "restore", id: row.id });
  let log = "";
  const save = (data: { step?: string }) =>
    deps.db.backupRestore.update({ where: { id: row.id }, data: { ...data, log } }).then(() => undefined);
  return {
    id: row.id,
    step: (text) => {
      log += `${text}\n`;
      return save({ step: text });
    },
    append: (text) => {
      if (!text.trim()) return Promise.resolve();
      log += text.endsWith("\n") ? text : `${text}\n`;
      return save({});
    },
    async end(err) {
      release();
      const error = err === undefined ? null : err instanceof Error ? err.message : String(err);
      if (error) log += `${error}\n`;
      await deps.db.backupRestore.update({
        where: { id: row.id },
        data: {
          status: error ? "failed" : "succeeded",
          step: error ? "failed" : "done",
          error,
          log,
          finishedAt: new Date(),
          leaseUntil: null,
        },
      });
    },
  };
}

/** Run `fn` as the restore's body: the row ends with its outcome, and the outcome is passed on. */
export async function tracked<T>(run: Awaited<ReturnType<typeof beginRestore>>, fn: () => Promise<T>): Promise<T> {
  try {
    const result = await fn();
    await run.end();
    return result;
  } catch (err) {
    await run.end(err);
    throw err;
  }
}

/** One restore, for the page that follows it: the service it was started from or the one restored into. */
export async function getRestore(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, restoreId: string) {
  await loadService(deps.db, actor, serviceId, "viewer");
  const row = await deps.db.backupRestore.findUnique({
    where: { id: restoreId },
    include: { backup: { select: { serviceId: true, volume: true } }, service: { select: { name: true } } },
  });
  if (!row || (row.serviceId !== serviceId && row.backup.serviceId !== serviceId)) throw notFound("Restore");
  const { backup, service, leaseUntil: _lease, ...rest } = row;
  return { ...rest, volume: backup.volume, serviceName: service.name };
}

/** A restore already running into this service (one at a time). */
export async function assertNoRestoreRunning(deps: Pick<Deps, "db">, serviceId: string, name: string): Promise<void> {
  const running = await deps.db.backupRestore.findFirst({ where: { serviceId, status: "running" }, select: { id: true } });
  if (running) throw new DomainError("CONFLICT", `A restore into ${name} is already running; wait for it to finish`);
}
