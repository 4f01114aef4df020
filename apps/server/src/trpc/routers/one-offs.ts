import { z } from "zod";
import { oneOffInput } from "../../one-offs/one-off-input.ts";
import { cancelOneOff, getOneOff, listOneOffs, startOneOff } from "../../one-offs/one-offs.ts";
import { runOutputOrThrow } from "../../one-offs/read-output.ts";
import { cancelledRunOutput, runOutputSlice, startedRunOutput } from "../rest-outputs.ts";
import { router } from "../init.ts";
import { serviceProcedure } from "../procedures.ts";

const runRef = z.object({ runId: z.string().uuid("Unknown run") });

export const oneOffsRouter = router({
  /** Run a command in a new container of the live release; answers the run's id at once. */
  run: serviceProcedure("member", { tokenScope: "deploy" })
    .meta({
      openapi: {
        method: "POST",
        path: "/services/{serviceId}/runs",
        tags: ["runs"],
        summary: "Run a command in a new container of the live release (answers 202 with the run's id; `berth run`)",
      },
    })
    .input(oneOffInput)
    .output(startedRunOutput)
    .mutation(({ ctx, input }) => startOneOff(ctx.deps, ctx.actor, input.serviceId, input)),
  cancel: serviceProcedure("member", { tokenScope: "deploy" })
    .meta({
      openapi: {
        method: "POST",
        path: "/services/{serviceId}/runs/{runId}/cancel",
        tags: ["runs"],
        summary: "Stop a run that is still going",
      },
    })
    .input(runRef)
    .output(cancelledRunOutput)
    .mutation(({ ctx, input }) => cancelOneOff(ctx.deps, ctx.actor, input.serviceId, input.runId)),
  list: serviceProcedure("viewer")
    .input(z.object({ cronJobId: z.string().uuid().optional(), limit: z.number().int().min(1).max(100).default(20) }))
    .query(({ ctx, input }) => listOneOffs(ctx.deps, ctx.actor, input.serviceId, input)),
  /** A run's state and its output from character `from` on (`berth run` polls it). */
  output: serviceProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/services/{serviceId}/runs/{runId}/output",
        tags: ["runs"],
        summary: "A run's status, exit code and its output from character `from` on (secrets masked)",
      },
    })
    .input(runRef.extend({ from: z.number().int().min(0).default(0) }))
    .output(runOutputSlice)
    .query(({ ctx, input }) => runOutputOrThrow(ctx.deps, ctx.actor, input.serviceId, input.runId, input.from)),
  get: serviceProcedure("viewer")
    .input(runRef)
    .query(({ ctx, input }) => getOneOff(ctx.deps, ctx.actor, input.serviceId, input.runId)),
});
