import { z } from "zod";
import { createProject, createProjectInput, getProject, listProjects } from "../../projects/projects.ts";
import { authedProcedure, router } from "../init.ts";

export const projectsRouter = router({
  list: authedProcedure
    .input(z.object({ teamId: z.string().uuid("Unknown team") }))
    .query(({ ctx, input }) => listProjects(ctx.deps.db, ctx.actor, input.teamId)),
  create: authedProcedure.input(createProjectInput).mutation(({ ctx, input }) => createProject(ctx.deps.db, ctx.actor, input)),
  get: authedProcedure
    .input(z.object({ projectId: z.string().uuid("Unknown project") }))
    .query(({ ctx, input }) => getProject(ctx.deps.db, ctx.actor, input.projectId)),
});
