import { z } from "zod";
import { oneOffInput } from "../../one-offs/one-off-input.ts";
import { cancelOneOff, getOneOff, listOneOffs, startOneOff } from "../../one-offs/one-offs.ts";
import { router } from "../init.ts";
import { serviceProcedure } from "../procedures.ts";

const runRef = z.object({ runId: z.string().uuid("Unknown run") });

export const oneOffsRouter = router({
  /** Run a command in a new container of the live release; answers the run's id at once. */
  run: serviceProcedure("member", { tokenScope: "deploy" })
    .input(oneOffInput)
    .mutation(({ ctx, input }) => startOneOff(ctx.deps, ctx.actor, input.serviceId, input)),
  cancel: serviceProcedure("member", { tokenScope: "deploy" })
    .input(runRef)
    .mutation(({ ctx, input }) => cancelOneOff(ctx.deps, ctx.actor, input.serviceId, input.runId)),
  list: serviceProcedure("viewer")
    .input(z.object({ cronJobId: z.string().uuid().optional(), limit: z.number().int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => listOneOffs(ctx.deps, ctx.actor, input.serviceId, input)),
  get: serviceProcedure("viewer")
    .input(runRef)
    .query(({ ctx, input }) => getOneOff(ctx.deps, ctx.actor, input.serviceId, input.runId)),
});
