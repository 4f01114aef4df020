import type { Db } from "@berth/db";
import type { SessionUser } from "../auth/session.ts";
import { ensurePersonalTeam } from "./personal-team.ts";

/** The signed-in user and the teams they belong to (personal team first). */
export async function getMe(db: Db, user: SessionUser) {
  await ensurePersonalTeam(db, user);
  const memberships = await db.membership.findMany({
    where: { userId: user.id },
    include: { team: { select: { id: true, name: true, personal: true } } },
    orderBy: { createdAt: "asc" },
  });
  const teams = memberships
    .map((m) => ({ id: m.team.id, name: m.team.name, personal: m.team.personal, role: m.role }))
    .sort((a, b) => Number(b.personal) - Number(a.personal));
  return { user, teams };
}
