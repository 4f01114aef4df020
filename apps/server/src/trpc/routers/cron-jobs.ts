import { z } from "zod";
import { cronJobInput } from "../../cron/cron-input.ts";
import { createCronJob, deleteCronJob, listCronJobs, runCronJobNow, updateCronJob } from "../../cron/cron-jobs.ts";
import { router } from "../init.ts";
import { serviceProcedure } from "../procedures.ts";

const jobRef = z.object({ cronJobId: z.string().uuid("Unknown cron job") });

export const cronJobsRouter = router({
  /** The service's jobs with their last run and next slot, and the time zone schedules run in. */
  list: serviceProcedure("viewer").query(({ ctx, input }) => listCronJobs(ctx.deps, ctx.actor, input.serviceId)),
  create: serviceProcedure("member")
    .input(cronJobInput)
    .mutation(({ ctx, input }) => createCronJob(ctx.deps, ctx.actor, input.serviceId, cronJobInput.parse(input))),
  update: serviceProcedure("member")
    .input(jobRef.extend(cronJobInput.shape))
    .mutation(({ ctx, input }) => updateCronJob(ctx.deps, ctx.actor, input.serviceId, input.cronJobId, cronJobInput.parse(input))),
  delete: serviceProcedure("member")
    .input(jobRef)
    .mutation(({ ctx, input }) => deleteCronJob(ctx.deps, ctx.actor, input.serviceId, input.cronJobId)),
  runNow: serviceProcedure("member", { tokenScope: "deploy" })
    .input(jobRef)
    .mutation(({ ctx, input }) => runCronJobNow(ctx.deps, ctx.actor, input.serviceId, input.cronJobId)),
});
