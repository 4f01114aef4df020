/**
 * Restore a database's backup into a NEW database service of the same project: same engine and
 * image (so the same version), fresh generated credentials. The backup file is checked before
 * anything is created; then the database is created and deployed, and once it runs the backup
 * streams into it. The call returns at once with the restore's id: the page follows its step
 * and log (restore-run.ts) while the deployment and the restore run in this process.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { createDatabase, createDatabaseInput } from "../databases/create-database.ts";
import { isTerminalStatus } from "../deployments/statuses.ts";
import { serviceName } from "../services/service-input.ts";
import type { Actor } from "../teams/access.ts";
import { databaseTarget, runningContainer } from "./database-target.ts";
import { assertBackupIntact, loadRestorableBackup, streamIntoDatabase } from "./restore-backup.ts";
import { beginRestore, tracked } from "./restore-run.ts";

export const restoreIntoNewInput = z.object({
  backupId: z.string().uuid("Unknown backup"),
  /** The new database service's name. */
  name: serviceName,
});
export type RestoreIntoNewInput = z.infer<typeof restoreIntoNewInput>;

type NewDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "queue" | "events" | "box">;

/** Wait for the new database's first deployment; a failed one ends the restore with its error. */
async function deployed(deps: Pick<Deps, "db">, deploymentId: string, name: string, deadlineMs = 30 * 60_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId }, select: { status: true, error: true } });
    if (d.status === "succeeded") return;
    if (isTerminalStatus(d.status))
      throw new DomainError(
        "ENGINE_FAILED",
        `The new database ${name} did not start (deployment ${d.status}${d.error ? `: ${d.error}` : ""}); nothing was restored`,
      );
    if (Date.now() > until)
      throw new DomainError(
        "TIMEOUT",
        `The new database ${name} was still deploying after ${deadlineMs / 60_000} minutes; nothing was restored`,
      );
    await sleep(1000);
  }
}

export async function restoreIntoNewDatabase(deps: NewDeps, actor: Actor, serviceId: string, input: RestoreIntoNewInput) {
  const { backup, service } = await loadRestorableBackup(deps, actor, serviceId, input.backupId, "");
  const source = await databaseTarget(deps, service.id);
  await assertBackupIntact(source, backup, service.name);
  const engine = service.databaseEngine!;
  const created = await createDatabase(
    deps,
    actor,
    createDatabaseInput.parse({ projectId: service.projectId, name: input.name, engine, image: service.image }),
  );
  const run = await beginRestore(deps, { backupId: backup.id, serviceId: created.id });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "backup.restore",
    targetType: "service",
    targetId: created.id,
    detail: { backupId: backup.id, from: service.id, intoNew: input.name },
  });
  const work = tracked(run, async () => {
    await run.step(`Deploying the new database ${input.name} (${service.image})`);
    await deployed(deps, created.deploymentId!, input.name);
    const target = await databaseTarget(deps, created.id);
    const containerId = await runningContainer(deps, target, "restore into it");
    await streamIntoDatabase(deps, target, containerId, backup, source.store, run);
    await run.step(`Restored the backup of ${service.name} into ${input.name}`);
  });
  // The outcome is on the restore's row; this process only logs it.
  work.catch((err: unknown) => deps.log.warn({ restoreId: run.id, err: String(err) }, "restore into a new database failed"));
  return { restoreId: run.id, serviceId: created.id };
}
