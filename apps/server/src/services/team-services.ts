import type { Db } from "@berth/db";
import { type Actor, requireTeamRole } from "../teams/access.ts";

/** Every service of a team with its project and latest deployment: the list a CLI resolves `project/service` names in. */
export async function listTeamServices(db: Db, actor: Actor, teamId: string) {
  await requireTeamRole(db, actor, teamId, "viewer");
  const rows = await db.service.findMany({
    where: { project: { teamId }, previewOfId: null },
    orderBy: [{ project: { name: "asc" } }, { name: "asc" }],
    select: {
      id: true,
      name: true,
      kind: true,
      sourceType: true,
      desiredState: true,
      project: { select: { id: true, name: true } },
      deployments: { orderBy: { createdAt: "desc" }, take: 1, select: { id: true, status: true, error: true, createdAt: true } },
    },
  });
  return rows.map(({ deployments, ...s }) => ({ ...s, latestDeployment: deployments[0] ?? null }));
}
