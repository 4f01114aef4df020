import { getPreviewSettings, listPreviews, previewSettingsInput, updatePreviewSettings } from "../../previews/previews.ts";
import { listEnv, saveEnv } from "../../secrets/env-vars.ts";
import { saveEnvInput } from "../../secrets/env-input.ts";
import { router } from "../init.ts";
import { serviceProcedure } from "../procedures.ts";
import { previewListOutput, previewSettingsOutput } from "../rest-outputs.ts";

/** Preview deployments of a service's pull requests: the open previews, the settings, the variable overrides. */
export const previewsRouter = router({
  list: serviceProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/services/{serviceId}/previews",
        tags: ["previews"],
        summary: "The service's open previews (pull request, head commit, status, URL)",
      },
    })
    .output(previewListOutput)
    .query(({ ctx, input }) => listPreviews(ctx.deps, ctx.actor, input.serviceId)),
  settings: serviceProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/services/{serviceId}/previews/settings",
        tags: ["previews"],
        summary: "Whether the service takes previews, from forks too, and how many at once",
      },
    })
    .output(previewSettingsOutput)
    .query(({ ctx, input }) => getPreviewSettings(ctx.deps, ctx.actor, input.serviceId)),
  updateSettings: serviceProcedure("member")
    .input(previewSettingsInput)
    .mutation(({ ctx, input }) => updatePreviewSettings(ctx.deps, ctx.actor, input)),
  /** Preview-only variables: previews see them on top of the service's own (a secret's value is never returned). */
  variables: serviceProcedure("viewer").query(({ ctx, input }) =>
    listEnv(ctx.deps, ctx.actor, { serviceId: input.serviceId, previews: true }),
  ),
  saveVariables: serviceProcedure("member")
    .input(saveEnvInput)
    .mutation(({ ctx, input }) => saveEnv(ctx.deps, ctx.actor, { serviceId: input.serviceId, previews: true }, input.vars)),
});
