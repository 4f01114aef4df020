import { z } from "zod";
import { deployService } from "../../deployments/deployments.ts";
import { createServiceInput, updateServiceInput } from "../../services/service-input.ts";
import { checkSource, checkSourceInput } from "../../services/source-check.ts";
import { createService, deleteService, getService, startService, stopService } from "../../services/services.ts";
import { updateService } from "../../services/update-service.ts";
import { listServiceEvents } from "../../service-events/service-events.ts";
import { projectProcedure, serviceProcedure, teamProcedure } from "../procedures.ts";
import { readRuntimeLogs } from "../../services/runtime-logs.ts";
import { listTeamServices } from "../../services/team-services.ts";
import { router } from "../init.ts";
import { servicePlacementInput } from "../../cluster/service-placement-input.ts";
import { setServicePlacement } from "../../cluster/service-placement.ts";
import { listServiceTasks } from "../../cluster/service-tasks.ts";
import { queuedDeploymentOutput, runtimeLogsOutput, teamServicesOutput } from "../rest-outputs.ts";

export const servicesRouter = router({
  /** Every service of the team, with its project and latest deployment. */
  list: teamProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/teams/{teamId}/services",
        tags: ["services"],
        summary: "The team's services with their latest deployment",
      },
    })
    .output(teamServicesOutput)
    .query(({ ctx, input }) => listTeamServices(ctx.deps.db, ctx.actor, input.teamId)),
  /** Before create: does the image or repository/branch answer? (a mutation: it may pull and runs git) */
  checkSource: projectProcedure("member")
    .input(checkSourceInput)
    .mutation(({ ctx, input }) => checkSource(ctx.deps, ctx.actor, input)),
  create: projectProcedure("member")
    .input(createServiceInput)
    .mutation(({ ctx, input }) => createService(ctx.deps, ctx.actor, input)),
  get: serviceProcedure("viewer").query(({ ctx, input }) => getService(ctx.deps, ctx.actor, input.serviceId)),
  /** What happened to the service outside its deployments (the reconciler's repairs), newest first. */
  events: serviceProcedure("viewer").query(({ ctx, input }) => listServiceEvents(ctx.deps, ctx.actor, input.serviceId)),
  update: serviceProcedure("member")
    .input(updateServiceInput)
    .mutation(({ ctx, input }) => updateService(ctx.deps, ctx.actor, input)),
  /** The running container's log lines up to now; `berth logs -f` polls it with `since`. */
  logs: serviceProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/services/{serviceId}/logs",
        tags: ["services"],
        summary: "The running container's log lines up to now (the last `tail`, or since a unix time), secrets redacted",
      },
    })
    .input(z.object({ since: z.number().int().min(0).optional(), tail: z.number().int().min(0).max(5000).default(100) }))
    .output(runtimeLogsOutput)
    .query(({ ctx, input }) => readRuntimeLogs(ctx.deps, ctx.actor, input)),
  /** Queues a deployment (REST: 202 {deploymentId}); a token's deployment is triggered by "api". */
  deploy: serviceProcedure("member", { tokenScope: "deploy" })
    .meta({
      openapi: {
        method: "POST",
        path: "/services/{serviceId}/deploy",
        tags: ["deployments"],
        summary: "Deploy the service (answers 202 with the queued deployment)",
      },
    })
    .output(queuedDeploymentOutput)
    .mutation(({ ctx }) => deployService(ctx.deps, ctx.actor, ctx.service, ctx.actor.token ? "api" : "user")),
  stop: serviceProcedure("member").mutation(({ ctx, input }) => stopService(ctx.deps, ctx.actor, input.serviceId)),
  start: serviceProcedure("member").mutation(({ ctx, input }) => startService(ctx.deps, ctx.actor, input.serviceId)),
  /** On this server (the default) or on the cluster, with Swarm placement constraints (cluster mode only). */
  setPlacement: serviceProcedure("member")
    .input(servicePlacementInput)
    .mutation(({ ctx, input }) => setServicePlacement(ctx.deps, ctx.actor, input.serviceId, input)),
  /** Where a cluster service's Swarm tasks run (node, state, error); empty for a service on this server. */
  tasks: serviceProcedure("viewer").query(({ ctx, input }) => listServiceTasks(ctx.deps, ctx.actor, input.serviceId)),
  delete: serviceProcedure("member")
    .input(z.object({ deleteVolumes: z.boolean().default(false) }))
    .mutation(({ ctx, input }) => deleteService(ctx.deps, ctx.actor, input.serviceId, { deleteVolumes: input.deleteVolumes })),
});
