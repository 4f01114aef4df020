import { z } from "zod";
import { getDeploymentLog } from "../../deployments/deployment-log.ts";
import { cancelDeployment, listDeployments, redeploy, rollbackToRelease } from "../../deployments/deployments.ts";
import { serviceIdInput } from "../../services/service-input.ts";
import { authedProcedure, router } from "../init.ts";

const deploymentIdInput = z.object({ deploymentId: z.string().uuid("Unknown deployment") });

export const deploymentsRouter = router({
  list: authedProcedure.input(serviceIdInput).query(({ ctx, input }) => listDeployments(ctx.deps, ctx.actor, input.serviceId)),
  log: authedProcedure
    .input(deploymentIdInput.extend({ afterSeq: z.number().int().min(-1).default(-1), limit: z.number().int().min(1).max(5000).default(1000) }))
    .query(({ ctx, input }) => getDeploymentLog(ctx.deps, ctx.actor, input)),
  cancel: authedProcedure.input(deploymentIdInput).mutation(({ ctx, input }) => cancelDeployment(ctx.deps, ctx.actor, input.deploymentId)),
  redeploy: authedProcedure.input(deploymentIdInput).mutation(({ ctx, input }) => redeploy(ctx.deps, ctx.actor, input.deploymentId)),
  rollback: authedProcedure
    .input(z.object({ releaseId: z.string().uuid("Unknown release") }))
    .mutation(({ ctx, input }) => rollbackToRelease(ctx.deps, ctx.actor, input.releaseId)),
});
