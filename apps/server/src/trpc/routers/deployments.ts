import { listDeployments } from "../../deployments/deployments.ts";
import { serviceIdInput } from "../../services/service-input.ts";
import { authedProcedure, router } from "../init.ts";

export const deploymentsRouter = router({
  list: authedProcedure.input(serviceIdInput).query(({ ctx, input }) => listDeployments(ctx.deps, ctx.actor, input.serviceId)),
});
