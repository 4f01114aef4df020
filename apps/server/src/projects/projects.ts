import type { Db } from "@berth/db";
import { z } from "zod";
import { invalidField } from "../errors.ts";
import { type Actor, loadProject, requireTeamRole } from "../teams/access.ts";
import { isUniqueViolation } from "../db-errors.ts";

export const createProjectInput = z.object({
  teamId: z.string().uuid("Unknown team"),
  name: z.string().trim().min(1, "Name is required").max(64, "Name must be at most 64 characters"),
  description: z.string().trim().max(500, "Description must be at most 500 characters").default(""),
});

export async function listProjects(db: Db, actor: Actor, teamId: string) {
  await requireTeamRole(db, actor, teamId, "viewer");
  const rows = await db.project.findMany({
    where: { teamId },
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { services: true } } },
  });
  return rows.map(({ _count, ...p }) => ({ ...p, serviceCount: _count.services }));
}

export async function createProject(db: Db, actor: Actor, input: z.infer<typeof createProjectInput>) {
  await requireTeamRole(db, actor, input.teamId, "member");
  try {
    const project = await db.project.create({ data: input, select: { id: true } });
    return project;
  } catch (err) {
    if (isUniqueViolation(err)) throw invalidField("name", `A project named "${input.name}" already exists in this team`);
    throw err;
  }
}

export async function getProject(db: Db, actor: Actor, projectId: string) {
  const { project } = await loadProject(db, actor, projectId, "viewer");
  const services = await db.service.findMany({
    where: { projectId },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      image: true,
      sourceType: true,
      gitUrl: true,
      containerPort: true,
      desiredState: true,
      deployments: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, status: true, createdAt: true } },
    },
  });
  return {
    ...project,
    services: services.map(({ deployments, ...s }) => ({ ...s, latestDeployment: deployments[0] ?? null })),
  };
}
