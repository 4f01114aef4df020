import { createProject, createProjectInput, getProject, listProjects } from "../../projects/projects.ts";
import { projectProcedure, teamProcedure } from "../procedures.ts";
import { router } from "../init.ts";

export const projectsRouter = router({
  list: teamProcedure("viewer").query(({ ctx, input }) => listProjects(ctx.deps.db, ctx.actor, input.teamId)),
  create: teamProcedure("member").input(createProjectInput).mutation(({ ctx, input }) => createProject(ctx.deps.db, ctx.actor, input)),
  get: projectProcedure("viewer").query(({ ctx, input }) => getProject(ctx.deps, ctx.actor, input.projectId)),
});
