import { importDotenvInput, revealEnvInput, saveEnvInput } from "../../secrets/env-input.ts";
import { importDotenv, listEnv, revealEnv, saveEnv } from "../../secrets/env-vars.ts";
import { projectProcedure, serviceProcedure } from "../procedures.ts";
import { router } from "../init.ts";

/** Environment variables of a service, and those shared by a project's services. */
export const envRouter = router({
  list: serviceProcedure("viewer").query(({ ctx, input }) => listEnv(ctx.deps, ctx.actor, { serviceId: input.serviceId })),
  save: serviceProcedure("member").input(saveEnvInput).mutation(({ ctx, input }) => saveEnv(ctx.deps, ctx.actor, { serviceId: input.serviceId }, input.vars)),
  import: serviceProcedure("member").input(importDotenvInput).mutation(({ ctx, input }) => importDotenv(ctx.deps, ctx.actor, { serviceId: input.serviceId }, input)),
  listShared: projectProcedure("viewer").query(({ ctx, input }) => listEnv(ctx.deps, ctx.actor, { projectId: input.projectId })),
  saveShared: projectProcedure("member").input(saveEnvInput).mutation(({ ctx, input }) => saveEnv(ctx.deps, ctx.actor, { projectId: input.projectId }, input.vars)),
  importShared: projectProcedure("member").input(importDotenvInput).mutation(({ ctx, input }) => importDotenv(ctx.deps, ctx.actor, { projectId: input.projectId }, input)),
  /** A secret's value: team admins only; audited. */
  reveal: projectProcedure("admin").input(revealEnvInput).mutation(({ ctx, input }) => revealEnv(ctx.deps, ctx.actor, input.projectId, input.envVarId)),
});
