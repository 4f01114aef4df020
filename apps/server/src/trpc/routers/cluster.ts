import { createClusterInput, joinClusterInput, nodeAvailabilityInput, nodeLabelsInput } from "../../cluster/cluster-input.ts";
import { getCluster } from "../../cluster/cluster-view.ts";
import { createCluster } from "../../cluster/create-cluster.ts";
import { joinCluster } from "../../cluster/join-cluster.ts";
import { setNodeAvailability, setNodeLabels } from "../../cluster/node-settings.ts";
import { instanceOwnerProcedure } from "../procedures.ts";
import { router } from "../init.ts";

/** Cluster mode: the Docker Swarm Berth forms from its servers (instance owner only). Join tokens never leave the server. */
export const clusterRouter = router({
  get: instanceOwnerProcedure.query(({ ctx }) => getCluster(ctx.deps)),
  create: instanceOwnerProcedure.input(createClusterInput).mutation(({ ctx, input }) => createCluster(ctx.deps, ctx.actor, input)),
  join: instanceOwnerProcedure.input(joinClusterInput).mutation(({ ctx, input }) => joinCluster(ctx.deps, ctx.actor, input)),
  setAvailability: instanceOwnerProcedure
    .input(nodeAvailabilityInput)
    .mutation(({ ctx, input }) => setNodeAvailability(ctx.deps, ctx.actor, input)),
  setLabels: instanceOwnerProcedure.input(nodeLabelsInput).mutation(({ ctx, input }) => setNodeLabels(ctx.deps, ctx.actor, input)),
});
