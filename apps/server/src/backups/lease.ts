/**
 * Backups and restores in progress belong to the process running them, which renews a lease on
 * their row while it works (like deployments/lease.ts). A row still `running` whose lease has
 * lapsed was left by a process that died or lost the database: every process's backup
 * scheduler ends such rows when it starts (at boot) and on each tick, saying what state the
 * data is in. Rows without a lease predate leases and are ended too.
 */
import type { Db } from "@berth/db";

export const BACKUP_LEASE_MS = 60_000;

export const LAPSED_BACKUP =
  "The Berth process running this backup stopped before it finished (its lease lapsed); nothing usable was stored: back up again";

/** What an interrupted restore leaves behind, by what was being restored. */
export function lapsedRestoreMessage(kind: "database" | "new-database" | "volume", serviceName: string): string {
  const prefix = "The Berth process running this restore stopped before it finished (its lease lapsed)";
  if (kind === "database") return `${prefix}; the restore runs in one transaction, so ${serviceName} is as it was before it: restore again`;
  if (kind === "new-database")
    return `${prefix}; the new database ${serviceName} may be empty or partly restored: delete it, or restore into a new database again`;
  return `${prefix}; volume data of ${serviceName} may be partly restored and the service may be stopped: restore again, then start it`;
}

const leaseEnd = () => new Date(Date.now() + BACKUP_LEASE_MS);
export const leaseFields = () => ({ leaseUntil: leaseEnd() });

/** Renew the row's lease every third of its length until the returned function is called. */
export function holdLease(db: Db, row: { kind: "backup" | "restore"; id: string }): () => void {
  const renew = () => {
    const where = { id: row.id, status: "running" as const };
    const data = { leaseUntil: leaseEnd() };
    const done = row.kind === "backup" ? db.databaseBackup.updateMany({ where, data }) : db.backupRestore.updateMany({ where, data });
    // A missed renewal is retried at the next interval; the lease outlasts two misses.
    void done.catch(() => undefined);
  };
  const timer = setInterval(renew, BACKUP_LEASE_MS / 3);
  timer.unref();
  return () => clearInterval(timer);
}

const lapsed = () => ({ status: "running" as const, OR: [{ leaseUntil: null }, { leaseUntil: { lt: new Date() } }] });

/** End lapsed backups and restores; returns their ids. Conditional updates: two processes never both end one. */
export async function endLapsedBackups(db: Db): Promise<{ backups: string[]; restores: string[] }> {
  const backups: string[] = [];
  for (const b of await db.databaseBackup.findMany({ where: lapsed(), select: { id: true, startedAt: true } })) {
    const ended = await db.databaseBackup.updateMany({
      where: { id: b.id, ...lapsed() },
      data: {
        status: "failed",
        error: LAPSED_BACKUP,
        log: LAPSED_BACKUP,
        finishedAt: new Date(),
        durationMs: Date.now() - b.startedAt.getTime(),
      },
    });
    if (ended.count === 1) backups.push(b.id);
  }
  const restores: string[] = [];
  const stuck = await db.backupRestore.findMany({
    where: lapsed(),
    include: { backup: { select: { serviceId: true, volume: true } }, service: { select: { name: true } } },
  });
  for (const r of stuck) {
    const kind = r.backup.volume ? "volume" : r.backup.serviceId === r.serviceId ? "database" : "new-database";
    const error = lapsedRestoreMessage(kind, r.service.name);
    const ended = await db.backupRestore.updateMany({
      where: { id: r.id, ...lapsed() },
      data: { status: "failed", error, log: `${r.log}${error}\n`, finishedAt: new Date() },
    });
    if (ended.count === 1) restores.push(r.id);
  }
  return { backups, restores };
}
