import type { Db } from "@berth/db";
import { type Actor, requireTeamRole } from "../teams/access.ts";

/** What a token is (its team, scope and user): what `berth login` verifies and remembers. */
export async function tokenIdentity(db: Db, actor: Actor, token: NonNullable<Actor["token"]>) {
  // A token whose user left the team acts as nobody: refused here like everywhere else.
  const role = await requireTeamRole(db, actor, token.teamId, "viewer");
  const team = await db.team.findUniqueOrThrow({ where: { id: token.teamId }, select: { id: true, name: true } });
  return { team, scope: token.scope, role, user: { id: actor.userId, email: actor.email } };
}
