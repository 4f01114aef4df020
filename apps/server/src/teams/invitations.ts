import type { Db, TeamRole } from "@berth/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.ts";
import { DomainError, invalidField, notFound } from "../errors.ts";
import { hashSecret, newSecret } from "../tokens/token-secret.ts";
import type { Actor } from "./access.ts";
import type { Mailer } from "../mail/mailer.ts";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const INVITE_PREFIX = "inv_";

export const createInvitationInput = z.object({
  teamId: z.string().uuid("Unknown team"),
  email: z.string().trim().toLowerCase().email("Enter a valid email address").max(320),
  role: z.enum(["admin", "member", "viewer"], { message: "Role must be admin, member or viewer" }),
});
export type CreateInvitationInput = z.infer<typeof createInvitationInput>;

function pendingWhere(now = new Date()) {
  return { acceptedAt: null, revokedAt: null, expiresAt: { gt: now } };
}

/** The caller (admin or owner, checked before) invites by email; the link is returned once. Only the owner invites admins. */
export async function createInvitation(
  db: Db,
  actor: Actor,
  input: CreateInvitationInput,
  opts: { publicUrl: string; callerRole: TeamRole; mailer?: Mailer | null },
) {
  if (input.role === "admin" && opts.callerRole !== "owner") throw new DomainError("FORBIDDEN", "Only the owner can invite admins");
  const already = await db.membership.findFirst({
    where: { teamId: input.teamId, user: { email: input.email } },
    select: { userId: true },
  });
  if (already) throw invalidField("email", `${input.email} is already a member of this team`);
  const secret = newSecret(INVITE_PREFIX);
  const row = await db.invitation.create({
    data: {
      teamId: input.teamId,
      email: input.email,
      role: input.role,
      tokenHash: hashSecret(secret),
      invitedById: actor.userId,
      expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
    },
    select: { id: true, expiresAt: true },
  });
  await recordAudit(db, actor, {
    teamId: input.teamId,
    action: "member.invite",
    targetType: "invitation",
    targetId: row.id,
    detail: { email: input.email, role: input.role },
  });
  const link = `${opts.publicUrl}/invite/${secret}`;
  const emailed = opts.mailer ? await sendInvitation(opts.mailer, { to: input.email, link, teamId: input.teamId, db }) : false;
  return { id: row.id, expiresAt: row.expiresAt, link, emailed };
}

/** Mail the link when SMTP is configured; a mail failure still leaves the link to copy. */
async function sendInvitation(mailer: Mailer, opts: { to: string; link: string; teamId: string; db: Db }): Promise<boolean> {
  const team = await opts.db.team.findUniqueOrThrow({ where: { id: opts.teamId }, select: { name: true } });
  return mailer
    .send({
      to: opts.to,
      subject: `You are invited to ${team.name} on Berth`,
      text: `You are invited to join ${team.name} on Berth. Open this link within 7 days (it works once, for ${opts.to}):\n\n${opts.link}\n`,
    })
    .then(
      () => true,
      () => false,
    );
}

export async function listInvitations(db: Db, teamId: string) {
  return db.invitation.findMany({
    where: { teamId, ...pendingWhere() },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
  });
}

export async function revokeInvitation(db: Db, actor: Actor, teamId: string, invitationId: string) {
  const { count } = await db.invitation.updateMany({
    where: { id: invitationId, teamId, ...pendingWhere() },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw notFound("Invitation");
  await recordAudit(db, actor, { teamId, action: "member.invite_revoke", targetType: "invitation", targetId: invitationId });
  return { ok: true as const };
}

/** Whether a sign-up with this email may proceed although sign-up is closed. */
export async function hasPendingInvitation(db: Db, email: string): Promise<boolean> {
  return (await db.invitation.count({ where: { email: email.toLowerCase(), ...pendingWhere() } })) > 0;
}

async function findPending(db: Db, secret: string) {
  const row = secret.startsWith(INVITE_PREFIX)
    ? await db.invitation.findUnique({ where: { tokenHash: hashSecret(secret) }, include: { team: { select: { id: true, name: true } } } })
    : null;
  if (!row) throw notFound("Invitation");
  if (row.revokedAt) throw new DomainError("CONFLICT", "This invitation was revoked");
  if (row.acceptedAt) throw new DomainError("CONFLICT", "This invitation has already been used");
  if (row.expiresAt <= new Date()) throw new DomainError("CONFLICT", "This invitation has expired; ask for a new one");
  return row;
}

/** What the invitation link offers (the link's secret is the authorization to see it). */
export async function previewInvitation(db: Db, secret: string) {
  const row = await findPending(db, secret);
  return { teamName: row.team.name, email: row.email, role: row.role, expiresAt: row.expiresAt };
}

/** Join the team: only as the invited email, only once. */
export async function acceptInvitation(db: Db, actor: Actor, secret: string) {
  const row = await findPending(db, secret);
  const user = await db.user.findUniqueOrThrow({ where: { id: actor.userId }, select: { email: true } });
  if (user.email.toLowerCase() !== row.email) {
    throw new DomainError("FORBIDDEN", `This invitation is for ${row.email}; you are signed in as ${user.email}`);
  }
  await db.$transaction(async (tx) => {
    const { count } = await tx.invitation.updateMany({ where: { id: row.id, ...pendingWhere() }, data: { acceptedAt: new Date() } });
    if (count === 0) throw new DomainError("CONFLICT", "This invitation has already been used");
    await tx.membership.upsert({
      where: { teamId_userId: { teamId: row.teamId, userId: actor.userId } },
      create: { teamId: row.teamId, userId: actor.userId, role: row.role },
      update: {},
    });
  });
  await recordAudit(db, actor, {
    teamId: row.teamId,
    action: "member.join",
    targetType: "user",
    targetId: actor.userId,
    detail: { role: row.role },
  });
  return { teamId: row.teamId };
}
