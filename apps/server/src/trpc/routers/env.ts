import {
  importDotenvInput,
  restImportDotenvInput,
  revealEnvInput,
  saveEnvInput,
  setEnvVarInput,
  unsetEnvVarInput,
} from "../../secrets/env-input.ts";
import { importDotenv, listEnv, revealEnv, saveEnv, setEnvVar, unsetEnvVar } from "../../secrets/env-vars.ts";
import { projectProcedure, serviceProcedure } from "../procedures.ts";
import { router } from "../init.ts";
import { envImportOutput, envListOutput, envNameOutput } from "../rest-outputs.ts";

/** Environment variables of a service, and those shared by a project's services. */
export const envRouter = router({
  list: serviceProcedure("viewer")
    .meta({
      openapi: {
        method: "GET",
        path: "/services/{serviceId}/env",
        tags: ["env"],
        summary: "The service's own variables (a secret's value is never returned)",
      },
    })
    .output(envListOutput)
    .query(({ ctx, input }) => listEnv(ctx.deps, ctx.actor, { serviceId: input.serviceId })),
  set: serviceProcedure("member")
    .meta({
      openapi: {
        method: "PUT",
        path: "/services/{serviceId}/env/{name}",
        tags: ["env"],
        summary: "Set one variable (added or overwritten)",
      },
    })
    .input(setEnvVarInput)
    .output(envNameOutput)
    .mutation(({ ctx, input }) => setEnvVar(ctx.deps, ctx.actor, { serviceId: input.serviceId }, input)),
  unset: serviceProcedure("member")
    .meta({ openapi: { method: "DELETE", path: "/services/{serviceId}/env/{name}", tags: ["env"], summary: "Remove one variable" } })
    .input(unsetEnvVarInput)
    .output(envNameOutput)
    .mutation(({ ctx, input }) => unsetEnvVar(ctx.deps, ctx.actor, { serviceId: input.serviceId }, input.name)),
  save: serviceProcedure("member")
    .input(saveEnvInput)
    .mutation(({ ctx, input }) => saveEnv(ctx.deps, ctx.actor, { serviceId: input.serviceId }, input.vars)),
  import: serviceProcedure("member")
    .meta({
      openapi: {
        method: "POST",
        path: "/services/{serviceId}/env/import",
        tags: ["env"],
        summary: "Import .env text (every line must parse, or nothing is written)",
      },
    })
    .input(restImportDotenvInput)
    .output(envImportOutput)
    .mutation(({ ctx, input }) => importDotenv(ctx.deps, ctx.actor, { serviceId: input.serviceId }, input)),
  listShared: projectProcedure("viewer").query(({ ctx, input }) => listEnv(ctx.deps, ctx.actor, { projectId: input.projectId })),
  saveShared: projectProcedure("member")
    .input(saveEnvInput)
    .mutation(({ ctx, input }) => saveEnv(ctx.deps, ctx.actor, { projectId: input.projectId }, input.vars)),
  importShared: projectProcedure("member")
    .input(importDotenvInput)
    .mutation(({ ctx, input }) => importDotenv(ctx.deps, ctx.actor, { projectId: input.projectId }, input)),
  /** A secret's value: team admins only; audited. */
  reveal: projectProcedure("admin")
    .input(revealEnvInput)
    .mutation(({ ctx, input }) => revealEnv(ctx.deps, ctx.actor, input.projectId, input.envVarId)),
});
