import { z } from "zod";
import { getDeploymentLog } from "../../deployments/deployment-log.ts";
import { cancelDeployment, listDeployments, redeploy, rollbackToRelease } from "../../deployments/deployments.ts";
import { deploymentProcedure, releaseProcedure, serviceProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const deploymentsRouter = router({
  list: serviceProcedure("viewer").query(({ ctx, input }) => listDeployments(ctx.deps, ctx.actor, input.serviceId)),
  log: deploymentProcedure("viewer")
    .input(z.object({ afterSeq: z.number().int().min(-1).default(-1), limit: z.number().int().min(1).max(5000).default(1000) }))
    .query(({ ctx, input }) => getDeploymentLog(ctx.deps, ctx.actor, input)),
  cancel: deploymentProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) => cancelDeployment(ctx.deps, ctx.actor, input.deploymentId)),
  redeploy: deploymentProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) => redeploy(ctx.deps, ctx.actor, input.deploymentId)),
  rollback: releaseProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) => rollbackToRelease(ctx.deps, ctx.actor, input.releaseId)),
});
