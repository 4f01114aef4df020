import type { Db, Prisma } from "@berth/db";
import { z } from "zod";

export const auditFilterInput = z.object({
  teamId: z.string().uuid("Unknown team"),
  action: z.string().trim().max(64).optional(),
  actorEmail: z.string().trim().max(320).optional(),
  before: z.coerce.date().optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type AuditFilter = z.infer<typeof auditFilterInput>;

/**
 * A team's events, newest first: everything recorded in the team, plus the sign-ins of its
 * current members (user-level events carry no team).
 */
export async function listAudit(db: Db, filter: AuditFilter) {
  const inTeam: Prisma.AuditEventWhereInput = {
    OR: [
      { teamId: filter.teamId },
      { teamId: null, action: { in: ["auth.sign_in", "auth.sign_up"] }, actor: { memberships: { some: { teamId: filter.teamId } } } },
    ],
  };
  const where: Prisma.AuditEventWhereInput = {
    AND: [
      inTeam,
      filter.action ? { action: { startsWith: filter.action } } : {},
      filter.actorEmail ? { actor: { email: { contains: filter.actorEmail, mode: "insensitive" } } } : {},
      filter.before ? { createdAt: { lt: filter.before } } : {},
    ],
  };
  const rows = await db.auditEvent.findMany({
    where,
    orderBy: { createdAt: "desc" },
    take: filter.limit,
    include: { actor: { select: { email: true, name: true } } },
  });
  return rows.map(({ actor, actorEmail, ...row }) => ({ ...row, actorEmail: actor?.email ?? actorEmail, actorName: actor?.name ?? "" }));
}
