import type { Db, TeamRole } from "@berth/db";
import { DomainError, notFound } from "../errors.ts";

/** The signed-in caller of a use case. */
export interface Actor {
  userId: string;
  instanceRole: "owner" | "user";
}

const RANK: Record<TeamRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function roleAtLeast(role: TeamRole, min: TeamRole): boolean {
  return RANK[role] >= RANK[min];
}

function checkRole(role: TeamRole | undefined, min: TeamRole, what: string): TeamRole {
  // Not a member: the resource does not exist for this caller (no existence leak).
  if (!role) throw notFound(what);
  if (!roleAtLeast(role, min)) {
    throw new DomainError("FORBIDDEN", `This needs the ${min} role or higher in the team; you are ${role}`);
  }
  return role;
}

export async function requireTeamRole(db: Db, actor: Actor, teamId: string, min: TeamRole): Promise<TeamRole> {
  const membership = await db.membership.findUnique({
    where: { teamId_userId: { teamId, userId: actor.userId } },
    select: { role: true },
  });
  return checkRole(membership?.role, min, "Team");
}

/** Load a project the actor can act on with at least `min`, or NOT_FOUND/FORBIDDEN. */
export async function loadProject(db: Db, actor: Actor, projectId: string, min: TeamRole) {
  const project = await db.project.findUnique({
    where: { id: projectId },
    include: { team: { select: { memberships: { where: { userId: actor.userId }, select: { role: true } } } } },
  });
  const role = checkRole(project?.team.memberships[0]?.role, min, "Project");
  if (!project) throw notFound("Project");
  const { team: _team, ...rest } = project;
  return { project: rest, role };
}

/** Load a service (with its project) the actor can act on with at least `min`. */
export async function loadService(db: Db, actor: Actor, serviceId: string, min: TeamRole) {
  const service = await db.service.findUnique({
    where: { id: serviceId },
    include: {
      project: {
        select: {
          id: true,
          name: true,
          teamId: true,
          team: { select: { memberships: { where: { userId: actor.userId }, select: { role: true } } } },
        },
      },
    },
  });
  const role = checkRole(service?.project.team.memberships[0]?.role, min, "Service");
  if (!service) throw notFound("Service");
  const { team: _team, ...project } = service.project;
  return { service: { ...service, project }, role };
}
