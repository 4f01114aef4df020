import type { Db } from "@berth/db";
import { notFound } from "../errors.ts";
import { type Actor, loadProject, type TeamRole } from "../teams/access.ts";

/** A stack the actor can act on with at least `min` (through its project), or NOT_FOUND/FORBIDDEN. */
export async function loadStack(db: Db, actor: Actor, stackId: string, min: TeamRole) {
  const stack = await db.stack.findUnique({ where: { id: stackId } });
  if (!stack) throw notFound("Stack");
  const { project, role } = await loadProject(db, actor, stack.projectId, min);
  return { stack, project, role };
}
