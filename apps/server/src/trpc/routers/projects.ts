import { z } from "zod";
import {
  createProject,
  createProjectInput,
  deleteProjectInput,
  getProject,
  listProjects,
  updateProject,
  updateProjectInput,
} from "../../projects/projects.ts";
import { deleteProject } from "../../projects/delete-project.ts";
import { deleteVolume, listVolumes } from "../../volumes/volumes.ts";
import { projectProcedure, teamProcedure } from "../procedures.ts";
import { router } from "../init.ts";
import { projectListOutput } from "../rest-outputs.ts";

export const projectsRouter = router({
  list: teamProcedure("viewer")
    .meta({ openapi: { method: "GET", path: "/teams/{teamId}/projects", tags: ["projects"], summary: "The team's projects" } })
    .output(projectListOutput)
    .query(({ ctx, input }) => listProjects(ctx.deps.db, ctx.actor, input.teamId)),
  create: teamProcedure("member")
    .input(createProjectInput)
    .mutation(({ ctx, input }) => createProject(ctx.deps.db, ctx.actor, input)),
  get: projectProcedure("viewer").query(({ ctx }) => getProject(ctx.deps, ctx.project)),
  update: projectProcedure("member")
    .input(updateProjectInput)
    .mutation(({ ctx, input }) => updateProject(ctx.deps.db, ctx.actor, input.projectId, input)),
  delete: projectProcedure("admin")
    .input(deleteProjectInput)
    .mutation(({ ctx, input }) => deleteProject(ctx.deps, ctx.actor, input.projectId, input)),
  volumes: projectProcedure("viewer").query(({ ctx, input }) => listVolumes(ctx.deps, ctx.actor, input.projectId)),
  deleteVolume: projectProcedure("admin")
    .input(z.object({ volumeId: z.string().uuid("Unknown volume"), confirmName: z.string() }))
    .mutation(({ ctx, input }) => deleteVolume(ctx.deps, ctx.actor, input)),
});
