import { channelIdInput, createChannelInput } from "../../notifications/channel-input.ts";
import { createChannel, deleteChannel, listChannels, testChannel } from "../../notifications/channels.ts";
import { projectProcedure } from "../procedures.ts";
import { router } from "../init.ts";

/** Where a project's deploy outcomes go: generic webhook, Slack, Discord, email. */
export const notificationsRouter = router({
  list: projectProcedure("viewer").query(({ ctx, input }) => listChannels(ctx.deps, ctx.actor, input.projectId)),
  create: projectProcedure("admin")
    .input(createChannelInput)
    .mutation(({ ctx, input }) => createChannel(ctx.deps, ctx.actor, input.projectId, input)),
  delete: projectProcedure("admin")
    .input(channelIdInput)
    .mutation(({ ctx, input }) => deleteChannel(ctx.deps, ctx.actor, input.projectId, input.channelId)),
  /** Send a test message through a channel now; answers whether it was delivered (and records it). */
  test: projectProcedure("admin")
    .input(channelIdInput)
    .mutation(({ ctx, input }) => testChannel(ctx.deps, ctx.actor, input.projectId, input.channelId)),
});
