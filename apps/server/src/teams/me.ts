import type { Db } from "@berth/db";
import type { SessionUser } from "../auth/session.ts";
import { ensurePersonalTeam } from "./personal-team.ts";

function membershipsOf(db: Db, userId: string) {
  return db.membership.findMany({
    where: { userId },
    include: { team: { select: { id: true, name: true, personal: true } } },
    orderBy: { createdAt: "asc" },
  });
}

/**
 * The signed-in user and the teams they belong to (personal team first). The personal team is
 * repaired only when the list lacks it: the dashboard asks this on every load.
 */
export async function getMe(db: Db, user: SessionUser) {
  let memberships = await membershipsOf(db, user.id);
  if (!memberships.some((m) => m.role === "owner" && m.team.personal)) {
    await ensurePersonalTeam(db, user);
    memberships = await membershipsOf(db, user.id);
  }
  const teams = memberships
    .map((m) => ({ id: m.team.id, name: m.team.name, personal: m.team.personal, role: m.role }))
    .sort((a, b) => Number(b.personal) - Number(a.personal));
  return { user, teams };
}
