import {
  disableWebhook,
  getHooks,
  removeDeployHook,
  rotateDeployHook,
  rotateWebhookSecret,
  setWebhookProvider,
  setWebhookProviderInput,
} from "../../webhooks/hook-settings.ts";
import { serviceProcedure } from "../procedures.ts";
import { router } from "../init.ts";

/** A service's push webhook (secret) and generic deploy hook (token URL); both shown once when made. */
export const hooksRouter = router({
  get: serviceProcedure("viewer").query(({ ctx, input }) => getHooks(ctx.deps, ctx.actor, input.serviceId)),
  rotateSecret: serviceProcedure("member").mutation(({ ctx, input }) => rotateWebhookSecret(ctx.deps, ctx.actor, input.serviceId)),
  disable: serviceProcedure("member").mutation(({ ctx, input }) => disableWebhook(ctx.deps, ctx.actor, input.serviceId)),
  setProvider: serviceProcedure("member")
    .input(setWebhookProviderInput)
    .mutation(({ ctx, input }) => setWebhookProvider(ctx.deps, ctx.actor, input.serviceId, input.provider)),
  rotateDeployHook: serviceProcedure("member").mutation(({ ctx, input }) => rotateDeployHook(ctx.deps, ctx.actor, input.serviceId)),
  removeDeployHook: serviceProcedure("member").mutation(({ ctx, input }) => removeDeployHook(ctx.deps, ctx.actor, input.serviceId)),
});
