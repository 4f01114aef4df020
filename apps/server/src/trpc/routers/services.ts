import { enqueueDeployment } from "../../deployments/deployments.ts";
import { createServiceInput, serviceIdInput } from "../../services/service-input.ts";
import { createService, deleteService, getService, startService, stopService } from "../../services/services.ts";
import { authedProcedure, router } from "../init.ts";

export const servicesRouter = router({
  create: authedProcedure.input(createServiceInput).mutation(({ ctx, input }) => createService(ctx.deps, ctx.actor, input)),
  get: authedProcedure.input(serviceIdInput).query(({ ctx, input }) => getService(ctx.deps, ctx.actor, input.serviceId)),
  deploy: authedProcedure.input(serviceIdInput).mutation(({ ctx, input }) => enqueueDeployment(ctx.deps, ctx.actor, input.serviceId)),
  stop: authedProcedure.input(serviceIdInput).mutation(({ ctx, input }) => stopService(ctx.deps, ctx.actor, input.serviceId)),
  start: authedProcedure.input(serviceIdInput).mutation(({ ctx, input }) => startService(ctx.deps, ctx.actor, input.serviceId)),
  delete: authedProcedure.input(serviceIdInput).mutation(({ ctx, input }) => deleteService(ctx.deps, ctx.actor, input.serviceId)),
});
