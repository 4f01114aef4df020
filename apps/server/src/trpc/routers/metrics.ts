import { getHostDisk, getHostMetrics, reclaimSpace } from "../../host/host.ts";
import { getServiceMetrics } from "../../metrics/service-metrics.ts";
import { router } from "../init.ts";
import { instanceOwnerProcedure, serviceProcedure } from "../procedures.ts";

export const metricsRouter = router({
  /** The service's stored samples of the last hour (live ones arrive over socket.io). */
  service: serviceProcedure("viewer").query(({ ctx }) => getServiceMetrics(ctx.deps, ctx.service)),
  host: instanceOwnerProcedure.query(({ ctx }) => getHostMetrics(ctx.deps, ctx.actor)),
  disk: instanceOwnerProcedure.query(({ ctx }) => getHostDisk(ctx.deps, ctx.actor)),
  /** What a reclaim would remove (nothing is removed). */
  reclaimPreview: instanceOwnerProcedure.query(({ ctx }) => reclaimSpace(ctx.deps, ctx.actor, { dryRun: true })),
  reclaim: instanceOwnerProcedure.mutation(({ ctx }) => reclaimSpace(ctx.deps, ctx.actor, { dryRun: false })),
});
