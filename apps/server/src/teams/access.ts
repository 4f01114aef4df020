import type { Db, TeamRole, TokenScope } from "@berth/db";
import { DomainError, notFound } from "../errors.ts";

export type { TeamRole, TokenScope };

/** The caller of a use case: a signed-in user, or an API token acting for its user in one team. */
export interface Actor {
  userId: string;
  instanceRole: "owner" | "user";
  email?: string;
  /** The client address as the control plane saw it (for the audit log). */
  ip?: string;
  /** Set when the caller authenticated with an API token: it acts only in that team, capped by scope. */
  token?: { id: string; teamId: string; scope: TokenScope };
}

const RANK: Record<TeamRole, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };
const SCOPE_RANK: Record<TokenScope, number> = { read: 0, deploy: 1, admin: 2 };
/** The highest team role a token of each scope can exercise. */
const SCOPE_CAP: Record<TokenScope, TeamRole> = { read: "viewer", deploy: "member", admin: "admin" };

export function roleAtLeast(role: TeamRole, min: TeamRole): boolean {
  return RANK[role] >= RANK[min];
}

export function scopeAtLeast(scope: TokenScope, min: TokenScope): boolean {
  return SCOPE_RANK[scope] >= SCOPE_RANK[min];
}

/** The role the actor may exercise in a team: the membership role, capped by a token's scope. */
export function effectiveRole(actor: Actor, teamId: string, membershipRole: TeamRole | undefined): TeamRole | undefined {
  if (!membershipRole) return undefined;
  if (!actor.token) return membershipRole;
  if (actor.token.teamId !== teamId) return undefined;
  const cap = SCOPE_CAP[actor.token.scope];
  return roleAtLeast(membershipRole, cap) ? cap : membershipRole;
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
  return checkRole(effectiveRole(actor, teamId, await membershipRole(db, actor, teamId)), min, "Team");
}

/** Load a project the actor can act on with at least `min`, or NOT_FOUND/FORBIDDEN. */
export async function loadProject(db: Db, actor: Actor, projectId: string, min: TeamRole) {
  const project = await db.project.findUnique({ where: { id: projectId } });
  const role = checkRole(
    project ? effectiveRole(actor, project.teamId, await membershipRole(db, actor, project.teamId)) : undefined,
    min,
    "Project",
  );
  if (!project) throw notFound("Project");
  return { project, role };
}

/**
 * The caller's role in a team, by the membership's key: one query, where a nested include through
 * the team takes two (Prisma runs each level as its own query, each compiled and sent apart).
 */
async function membershipRole(db: Db, actor: Actor, teamId: string): Promise<TeamRole | undefined> {
  const membership = await db.membership.findUnique({ where: { teamId_userId: { teamId, userId: actor.userId } }, select: { role: true } });
  return membership?.role;
}

/** Load a service (with its project) the actor can act on with at least `min`. */
export async function loadService(db: Db, actor: Actor, serviceId: string, min: TeamRole) {
  const service = await db.service.findUnique({
    where: { id: serviceId },
    include: { project: { select: { id: true, name: true, teamId: true } } },
  });
  const role = checkRole(
    service ? effectiveRole(actor, service.project.teamId, await membershipRole(db, actor, service.project.teamId)) : undefined,
    min,
    "Service",
  );
  if (!service) throw notFound("Service");
  return { service, role };
}

/**
 * What the resource-scoped procedures (trpc/procedures.ts) load, with the caller's access already
 * checked. A use case behind such a procedure takes the loaded resource instead of loading it again.
 */
export type LoadedProject = Awaited<ReturnType<typeof loadProject>>["project"];
export type LoadedService = Awaited<ReturnType<typeof loadService>>["service"];
export interface CheckedTeam {
  id: string;
  role: TeamRole;
}

/**
 * Load what a deployment or release belongs to, then its service through the caller's
 * membership. Unknown id and another team's id look the same: NOT_FOUND.
 */
export async function loadDeployment(db: Db, actor: Actor, deploymentId: string, min: TeamRole) {
  const row = await db.deployment.findUnique({ where: { id: deploymentId }, select: { serviceId: true } });
  if (!row) throw notFound("Deployment");
  const loaded = await loadService(db, actor, row.serviceId, min).catch((err: unknown) => {
    throw err instanceof DomainError && err.code === "NOT_FOUND" ? notFound("Deployment") : err;
  });
  return { deploymentId, ...loaded };
}

export async function loadRelease(db: Db, actor: Actor, releaseId: string, min: TeamRole) {
  const row = await db.release.findUnique({ where: { id: releaseId }, select: { serviceId: true } });
  if (!row) throw notFound("Release");
  const loaded = await loadService(db, actor, row.serviceId, min).catch((err: unknown) => {
    throw err instanceof DomainError && err.code === "NOT_FOUND" ? notFound("Release") : err;
  });
  return { releaseId, ...loaded };
}
