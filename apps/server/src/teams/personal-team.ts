import type { Db } from "@berth/db";

/** Every user owns a personal team, created at sign-up (and repaired here if that failed). */
export async function ensurePersonalTeam(db: Db, user: { id: string; name: string }): Promise<string> {
  const existing = await db.membership.findFirst({
    where: { userId: user.id, role: "owner", team: { personal: true } },
    select: { teamId: true },
  });
  if (existing) return existing.teamId;
  const team = await db.team.create({
    data: {
      name: `${user.name || "My"}'s team`,
      personal: true,
      memberships: { create: { userId: user.id, role: "owner" } },
    },
    select: { id: true },
  });
  return team.id;
}
