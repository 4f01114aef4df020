import type { Db } from "@berth/db";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { containerViews, statusOf } from "../overview/live-service-status.ts";
import { serviceRows } from "../overview/service-rows.ts";
import { z } from "zod";
import { invalidField } from "../errors.ts";
import { type Actor, type LoadedProject, loadProject, requireTeamRole } from "../teams/access.ts";
import { isUniqueViolation } from "../db-errors.ts";

const projectName = z.string().trim().min(1, "Name is required").max(64, "Name must be at most 64 characters");
const projectDescription = z.string().trim().max(500, "Description must be at most 500 characters");

export const createProjectInput = z.object({
  teamId: z.string().uuid("Unknown team"),
  name: projectName,
  description: projectDescription.default(""),
});

export const updateProjectInput = z.object({ name: projectName, description: projectDescription.optional() });
export const deleteProjectInput = z.object({
  /** The project's name, typed by the person deleting it. */
  confirmName: z.string(),
  /** Also delete the project's volumes and their data (kept otherwise, as labelled Docker volumes). */
  deleteVolumes: z.boolean().default(false),
});

export async function listProjects(db: Db, actor: Actor, teamId: string) {
  await requireTeamRole(db, actor, teamId, "viewer");
  const rows = await db.project.findMany({
    where: { teamId },
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { services: { where: { previewOfId: null } } } } },
  });
  return rows.map(({ _count, ...p }) => ({ ...p, serviceCount: _count.services }));
}

export async function createProject(db: Db, actor: Actor, input: z.infer<typeof createProjectInput>) {
  await requireTeamRole(db, actor, input.teamId, "member");
  try {
    const project = await db.project.create({ data: input, select: { id: true } });
    await recordAudit(db, actor, {
      teamId: input.teamId,
      action: "project.create",
      targetType: "project",
      targetId: project.id,
      detail: { name: input.name },
    });
    return project;
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField("name", `A project named "${input.name}" already exists in this team`);
    throw err;
  }
}

/** A project (projectProcedure loaded it for the caller) with its services' live status. */
export async function getProject(deps: Pick<Deps, "db" | "engine" | "engineWatch" | "box" | "log">, project: LoadedProject) {
  const { db } = deps;
  const projectId = project.id;
  const [rows, containers] = await Promise.all([
    serviceRows(db, { projectId }),
    containerViews(deps, { teamId: project.teamId, projectId }),
  ]);
  return {
    ...project,
    services: rows.flatMap((r) => {
      // A project without services is one row of nulls; a service's own columns are never null.
      if (r.id === null || r.name === null) return [];
      const latest =
        r.lastId && r.lastStatus && r.lastCreatedAt
          ? { id: r.lastId, status: r.lastStatus, error: r.lastError, createdAt: r.lastCreatedAt }
          : null;
      // The same derivation as the overview and the service page.
      const status = statusOf(
        deps,
        { id: r.id, desiredState: r.desiredState ?? "running", latest, liveDeploymentId: r.liveId },
        containers,
      );
      return [
        {
          id: r.id,
          name: r.name,
          image: r.image ?? "",
          sourceType: r.sourceType ?? "image",
          gitUrl: r.gitUrl,
          kind: r.kind ?? "web",
          containerPort: r.containerPort,
          desiredState: r.desiredState ?? "running",
          latestDeployment: latest,
          status: status.status,
        },
      ];
    }),
  };
}

export async function updateProject(db: Db, actor: Actor, projectId: string, input: z.infer<typeof updateProjectInput>) {
  const { project } = await loadProject(db, actor, projectId, "member");
  try {
    await db.project.update({
      where: { id: projectId },
      data: { name: input.name, ...(input.description === undefined ? {} : { description: input.description }) },
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField("name", `A project named "${input.name}" already exists in this team`);
    throw err;
  }
  await recordAudit(db, actor, {
    teamId: project.teamId,
    action: "project.update",
    targetType: "project",
    targetId: projectId,
    detail: { from: project.name, name: input.name },
  });
  return { ok: true as const };
}
