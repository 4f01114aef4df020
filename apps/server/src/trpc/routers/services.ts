import { z } from "zod";
import { enqueueDeployment } from "../../deployments/deployments.ts";
import { createServiceInput, updateServiceInput } from "../../services/service-input.ts";
import { checkSource, checkSourceInput } from "../../services/source-check.ts";
import { createService, deleteService, getService, startService, stopService } from "../../services/services.ts";
import { updateService } from "../../services/update-service.ts";
import { listServiceEvents } from "../../service-events/service-events.ts";
import { projectProcedure, serviceProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const servicesRouter = router({
  /** Before create: does the image or repository/branch answer? (a mutation: it may pull and runs git) */
  checkSource: projectProcedure("member").input(checkSourceInput).mutation(({ ctx, input }) => checkSource(ctx.deps, ctx.actor, input)),
  create: projectProcedure("member").input(createServiceInput).mutation(({ ctx, input }) => createService(ctx.deps, ctx.actor, input)),
  get: serviceProcedure("viewer").query(({ ctx, input }) => getService(ctx.deps, ctx.actor, input.serviceId)),
  /** What happened to the service outside its deployments (the reconciler's repairs), newest first. */
  events: serviceProcedure("viewer").query(({ ctx, input }) => listServiceEvents(ctx.deps, ctx.actor, input.serviceId)),
  update: serviceProcedure("member").input(updateServiceInput).mutation(({ ctx, input }) => updateService(ctx.deps, ctx.actor, input)),
  deploy: serviceProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) => enqueueDeployment(ctx.deps, ctx.actor, input.serviceId)),
  stop: serviceProcedure("member").mutation(({ ctx, input }) => stopService(ctx.deps, ctx.actor, input.serviceId)),
  start: serviceProcedure("member").mutation(({ ctx, input }) => startService(ctx.deps, ctx.actor, input.serviceId)),
  delete: serviceProcedure("member")
    .input(z.object({ deleteVolumes: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => deleteService(ctx.deps, ctx.actor, input.serviceId, { deleteVolumes: input.deleteVolumes })),
});
