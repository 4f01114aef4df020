import { z } from "zod";
import { destinationInput } from "../../backups/destination-input.ts";
import { getDestination, saveDestination, testDestination } from "../../backups/destinations.ts";
import { backupsOverview, policyInput, savePolicy } from "../../backups/policy.ts";
import { restoreBackup } from "../../backups/restore-backup.ts";
import { restoreIntoNewDatabase, restoreIntoNewInput } from "../../backups/restore-new-database.ts";
import { getRestore } from "../../backups/restore-run.ts";
import { restoreVolumeBackup } from "../../backups/restore-volume.ts";
import { backupNow } from "../../backups/run-backup.ts";
import { router } from "../init.ts";
import { projectProcedure, serviceProcedure } from "../procedures.ts";

const backupId = z.object({ backupId: z.string().uuid("Unknown backup") });
/** Empty: the database's dump; else one of the service's named volumes. */
const volume = z.object({ volume: z.string().max(64).default("") });

/**
 * Backups of databases and of services' named volumes: a destination per project, a schedule
 * and retention per database or volume, backup now, restore (in place, or into a new database).
 */
export const backupsRouter = router({
  destination: projectProcedure("viewer").query(({ ctx, input }) => getDestination(ctx.deps, ctx.actor, input.projectId)),
  saveDestination: projectProcedure("admin")
    .input(destinationInput)
    .mutation(({ ctx, input }) => saveDestination(ctx.deps, ctx.actor, input.projectId, input)),
  /** Try the settings (saved or not) now; INVALID at the field that is wrong. */
  testDestination: projectProcedure("admin")
    .input(destinationInput)
    .mutation(({ ctx, input }) => testDestination(ctx.deps, ctx.actor, input.projectId, input)),
  overview: serviceProcedure("viewer")
    .input(volume)
    .query(({ ctx, input }) => backupsOverview(ctx.deps, ctx.actor, input.serviceId, input.volume)),
  savePolicy: serviceProcedure("admin")
    .input(policyInput)
    .mutation(({ ctx, input }) => savePolicy(ctx.deps, ctx.actor, input.serviceId, input)),
  backupNow: serviceProcedure("member")
    .input(volume)
    .mutation(({ ctx, input }) => backupNow(ctx.deps, ctx.actor, input.serviceId, input.volume)),
  restore: serviceProcedure("admin")
    .input(backupId)
    .mutation(({ ctx, input }) => restoreBackup(ctx.deps, ctx.actor, input.serviceId, input.backupId)),
  /** Returns at once; follow it with `restoreStatus`. */
  restoreIntoNew: serviceProcedure("admin")
    .input(restoreIntoNewInput)
    .mutation(({ ctx, input }) => restoreIntoNewDatabase(ctx.deps, ctx.actor, input.serviceId, input)),
  /** Stops the service, replaces the volume's contents, starts the service again. */
  restoreVolume: serviceProcedure("admin")
    .input(backupId)
    .mutation(({ ctx, input }) => restoreVolumeBackup(ctx.deps, ctx.actor, input.serviceId, input.backupId)),
  restoreStatus: serviceProcedure("viewer")
    .input(z.object({ restoreId: z.string().uuid("Unknown restore") }))
    .query(({ ctx, input }) => getRestore(ctx.deps, ctx.actor, input.serviceId, input.restoreId)),
});
