import { z } from "zod";
import { deleteRegistry, listRegistries, saveRegistry, saveRegistryInput } from "../../registries/registry-credentials.ts";
import { teamProcedure } from "../procedures.ts";
import { router } from "../init.ts";

/** A team's private-registry credentials (passwords never returned). */
export const registriesRouter = router({
  list: teamProcedure("viewer").query(({ ctx, input }) => listRegistries(ctx.deps, ctx.actor, input.teamId)),
  save: teamProcedure("admin")
    .input(saveRegistryInput.omit({ teamId: true }))
    .mutation(({ ctx, input }) => saveRegistry(ctx.deps, ctx.actor, input)),
  delete: teamProcedure("admin")
    .input(z.object({ registryId: z.string().uuid("Unknown registry credential") }))
    .mutation(({ ctx, input }) => deleteRegistry(ctx.deps, ctx.actor, input)),
});
