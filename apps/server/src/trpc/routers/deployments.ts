import { listDeployments } from "../../deployments/deployments.ts";
import { serviceProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const deploymentsRouter = router({
  list: serviceProcedure("viewer").query(({ ctx, input }) => listDeployments(ctx.deps, ctx.actor, input.serviceId)),
});
