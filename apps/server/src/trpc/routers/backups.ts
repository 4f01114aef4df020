import { z } from "zod";
import { destinationInput } from "../../backups/destination-input.ts";
import { getDestination, saveDestination, testDestination } from "../../backups/destinations.ts";
import { backupsOverview, policyInput, savePolicy } from "../../backups/policy.ts";
import { restoreBackup } from "../../backups/restore-backup.ts";
import { backupNow } from "../../backups/run-backup.ts";
import { router } from "../init.ts";
import { projectProcedure, serviceProcedure } from "../procedures.ts";

/** Database backups: a destination per project, a schedule and retention per database, backup now, restore. */
export const backupsRouter = router({
  destination: projectProcedure("viewer").query(({ ctx, input }) => getDestination(ctx.deps, ctx.actor, input.projectId)),
  saveDestination: projectProcedure("admin").input(destinationInput).mutation(({ ctx, input }) => saveDestination(ctx.deps, ctx.actor, input.projectId, input)),
  /** Try the settings (saved or not) now; INVALID at the field that is wrong. */
  testDestination: projectProcedure("admin").input(destinationInput).mutation(({ ctx, input }) => testDestination(ctx.deps, ctx.actor, input.projectId, input)),
  overview: serviceProcedure("viewer").query(({ ctx, input }) => backupsOverview(ctx.deps, ctx.actor, input.serviceId)),
  savePolicy: serviceProcedure("admin").input(policyInput).mutation(({ ctx, input }) => savePolicy(ctx.deps, ctx.actor, input.serviceId, input)),
  backupNow: serviceProcedure("member").mutation(({ ctx, input }) => backupNow(ctx.deps, ctx.actor, input.serviceId)),
  restore: serviceProcedure("admin")
    .input(z.object({ backupId: z.string().uuid("Unknown backup") }))
    .mutation(({ ctx, input }) => restoreBackup(ctx.deps, ctx.actor, input.serviceId, input.backupId)),
});
