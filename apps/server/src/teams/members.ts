import type { Db, TeamRole } from "@berth/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.ts";
import { DomainError, notFound } from "../errors.ts";
import type { Actor } from "./access.ts";

export const createTeamInput = z.object({
  name: z.string().trim().min(1, "Name is required").max(64, "Name must be at most 64 characters"),
});

export async function createTeam(db: Db, actor: Actor, input: z.infer<typeof createTeamInput>) {
  const team = await db.team.create({
    data: { name: input.name, memberships: { create: { userId: actor.userId, role: "owner" } } },
    select: { id: true },
  });
  await recordAudit(db, actor, {
    teamId: team.id,
    action: "team.create",
    targetType: "team",
    targetId: team.id,
    detail: { name: input.name },
  });
  return team;
}

export async function listMembers(db: Db, teamId: string) {
  const rows = await db.membership.findMany({
    where: { teamId },
    orderBy: { createdAt: "asc" },
    include: { user: { select: { id: true, name: true, email: true } } },
  });
  return rows.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, role: m.role, joinedAt: m.createdAt }));
}

async function membershipOf(db: Db, teamId: string, userId: string) {
  const m = await db.membership.findUnique({ where: { teamId_userId: { teamId, userId } }, select: { role: true } });
  if (!m) throw notFound("Member");
  return m;
}

/**
 * Owners are changed only by transferring ownership: nobody is made or unmade owner here,
 * and an admin cannot change another admin.
 */
function checkManageable(callerRole: TeamRole, targetRole: TeamRole): void {
  if (targetRole === "owner") throw new DomainError("FORBIDDEN", "The owner cannot be changed or removed; transfer ownership first");
  if (targetRole === "admin" && callerRole !== "owner") throw new DomainError("FORBIDDEN", "Only the owner can change or remove an admin");
}

export async function changeMemberRole(
  db: Db,
  actor: Actor,
  opts: { teamId: string; callerRole: TeamRole; userId: string; role: Exclude<TeamRole, "owner"> },
) {
  const target = await membershipOf(db, opts.teamId, opts.userId);
  checkManageable(opts.callerRole, target.role);
  if (opts.role === "admin" && opts.callerRole !== "owner") throw new DomainError("FORBIDDEN", "Only the owner can make admins");
  await db.membership.update({ where: { teamId_userId: { teamId: opts.teamId, userId: opts.userId } }, data: { role: opts.role } });
  await recordAudit(db, actor, {
    teamId: opts.teamId,
    action: "member.role_change",
    targetType: "user",
    targetId: opts.userId,
    detail: { from: target.role, to: opts.role },
  });
  return { ok: true as const };
}

export async function removeMember(db: Db, actor: Actor, opts: { teamId: string; callerRole: TeamRole; userId: string }) {
  if (opts.userId === actor.userId) throw new DomainError("INVALID", "Use “Leave team” to remove yourself");
  const target = await membershipOf(db, opts.teamId, opts.userId);
  checkManageable(opts.callerRole, target.role);
  await db.$transaction([
    db.membership.delete({ where: { teamId_userId: { teamId: opts.teamId, userId: opts.userId } } }),
    // Their tokens in this team die with the membership.
    db.apiToken.updateMany({ where: { teamId: opts.teamId, userId: opts.userId, revokedAt: null }, data: { revokedAt: new Date() } }),
  ]);
  await recordAudit(db, actor, {
    teamId: opts.teamId,
    action: "member.remove",
    targetType: "user",
    targetId: opts.userId,
    detail: { role: target.role },
  });
  return { ok: true as const };
}

export async function leaveTeam(db: Db, actor: Actor, teamId: string) {
  const mine = await membershipOf(db, teamId, actor.userId);
  if (mine.role === "owner")
    throw new DomainError("CONFLICT", "The owner cannot leave; transfer ownership first (a team always has an owner)");
  await db.$transaction([
    db.membership.delete({ where: { teamId_userId: { teamId, userId: actor.userId } } }),
    db.apiToken.updateMany({ where: { teamId, userId: actor.userId, revokedAt: null }, data: { revokedAt: new Date() } }),
  ]);
  await recordAudit(db, actor, { teamId, action: "member.leave", targetType: "user", targetId: actor.userId });
  return { ok: true as const };
}

/** The owner hands the team to another member, and becomes an admin. Atomic: always one owner. */
export async function transferOwnership(db: Db, actor: Actor, teamId: string, userId: string) {
  if (userId === actor.userId) throw new DomainError("INVALID", "You already own this team");
  const team = await db.team.findUniqueOrThrow({ where: { id: teamId }, select: { personal: true } });
  if (team.personal) throw new DomainError("CONFLICT", "A personal team cannot be transferred; create a team to share ownership");
  await membershipOf(db, teamId, userId);
  await db.$transaction([
    db.membership.update({ where: { teamId_userId: { teamId, userId } }, data: { role: "owner" } }),
    db.membership.update({ where: { teamId_userId: { teamId, userId: actor.userId } }, data: { role: "admin" } }),
  ]);
  await recordAudit(db, actor, { teamId, action: "team.transfer_ownership", targetType: "user", targetId: userId });
  return { ok: true as const };
}
