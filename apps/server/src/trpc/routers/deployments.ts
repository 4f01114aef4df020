import { z } from "zod";
import { getDeploymentLog } from "../../deployments/deployment-log.ts";
import { cancelDeployment, listDeployments, redeploy, rollbackToRelease } from "../../deployments/deployments.ts";
import { deploymentProcedure, releaseProcedure, serviceProcedure } from "../procedures.ts";
import { getDeploymentStatus } from "../../deployments/deployment-status.ts";
import { listRetainedReleases } from "../../deployments/retained-releases.ts";
import { router } from "../init.ts";
import { deploymentLogOutput, deploymentStatusOutput, queuedDeploymentOutput, retainedReleasesOutput } from "../rest-outputs.ts";

export const deploymentsRouter = router({
  list: serviceProcedure("viewer").query(({ ctx }) => listDeployments(ctx.deps, ctx.service)),
  get: deploymentProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/deployments/{deploymentId}",
        tags: ["deployments"],
        summary: "A deployment's status and failure reason",
      },
    })
    .output(deploymentStatusOutput)
    .query(({ ctx, input }) => getDeploymentStatus(ctx.deps.db, ctx.actor, input.deploymentId)),
  log: deploymentProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/deployments/{deploymentId}/log",
        tags: ["deployments"],
        summary: "A deployment's build and release log lines after afterSeq",
      },
    })
    .input(z.object({ afterSeq: z.number().int().min(-1).default(-1), limit: z.number().int().min(1).max(5000).default(1000) }))
    .output(deploymentLogOutput)
    .query(({ ctx, input }) => getDeploymentLog(ctx.deps, ctx.actor, input)),
  releases: serviceProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/services/{serviceId}/releases",
        tags: ["deployments"],
        summary: "The releases that can be rolled back to, newest first",
      },
    })
    .output(retainedReleasesOutput)
    .query(({ ctx, input }) => listRetainedReleases(ctx.deps, ctx.actor, input.serviceId)),
  cancel: deploymentProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) =>
    cancelDeployment(ctx.deps, ctx.actor, input.deploymentId),
  ),
  redeploy: deploymentProcedure("member", { tokenScope: "deploy" }).mutation(({ ctx, input }) =>
    redeploy(ctx.deps, ctx.actor, input.deploymentId),
  ),
  rollback: releaseProcedure("member", { tokenScope: "deploy" })
    .meta({
      openapi: {
        method: "POST",
        path: "/releases/{releaseId}/rollback",
        tags: ["deployments"],
        summary: "Release a retained release again (answers 202 with the queued deployment)",
      },
    })
    .output(queuedDeploymentOutput)
    .mutation(({ ctx, input }) => rollbackToRelease(ctx.deps, ctx.actor, input.releaseId)),
});
