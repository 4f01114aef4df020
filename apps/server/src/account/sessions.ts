import type { Db } from "@berth/db";
import { recordAudit } from "../audit/audit.ts";
import { notFound } from "../errors.ts";
import type { Actor } from "../teams/access.ts";

/** The caller's live sessions (never their tokens), the current one marked. */
export async function listSessions(db: Db, userId: string, currentSessionId: string | undefined) {
  const rows = await db.session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: { updatedAt: "desc" },
    select: { id: true, createdAt: true, updatedAt: true, expiresAt: true, ipAddress: true, userAgent: true },
  });
  return rows.map((s) => ({ ...s, ipAddress: s.ipAddress ?? "", userAgent: s.userAgent ?? "", current: s.id === currentSessionId }));
}

/** Sign a session out everywhere at once: the row goes, so its cookie and sockets stop working. */
export async function revokeSession(db: Db, actor: Actor, sessionId: string) {
  const { count } = await db.session.deleteMany({ where: { id: sessionId, userId: actor.userId } });
  if (count === 0) throw notFound("Session");
  await recordAudit(db, actor, { teamId: null, action: "session.revoke", targetType: "session", targetId: sessionId });
  return { ok: true as const };
}
