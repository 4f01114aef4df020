import type { Db, TokenScope } from "@berth/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.ts";
import { DomainError, notFound } from "../errors.ts";
import { type Actor, requireTeamRole } from "../teams/access.ts";
import { API_TOKEN_PREFIX, hashSecret, newSecret } from "./token-secret.ts";

export const createTokenInput = z.object({
  teamId: z.string().uuid("Unknown team"),
  name: z.string().trim().min(1, "Name is required").max(64, "Name must be at most 64 characters"),
  scope: z.enum(["read", "deploy", "admin"], { message: "Scope must be read, deploy or admin" }),
  /** Days until it expires; omitted: never. */
  expiresInDays: z.number().int().min(1, "At least 1 day").max(3650, "At most 3650 days").optional(),
});
export type CreateTokenInput = z.infer<typeof createTokenInput>;

const SCOPE_NEEDS = { read: "viewer", deploy: "member", admin: "admin" } as const;

/** Create a token for the caller in a team; the secret is returned this once and never stored. */
export async function createApiToken(db: Db, actor: Actor, input: CreateTokenInput) {
  await requireTeamRole(db, actor, input.teamId, SCOPE_NEEDS[input.scope]);
  const secret = newSecret(API_TOKEN_PREFIX);
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const row = await db.apiToken.create({
    data: {
      userId: actor.userId,
      teamId: input.teamId,
      name: input.name,
      scope: input.scope,
      prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
      tokenHash: hashSecret(secret),
      expiresAt,
    },
    select: { id: true },
  });
  await recordAudit(db, actor, {
    teamId: input.teamId,
    action: "token.create",
    targetType: "token",
    targetId: row.id,
    detail: { name: input.name, scope: input.scope },
  });
  return { id: row.id, token: secret };
}

/** The caller's own tokens (never the secret). */
export async function listApiTokens(db: Db, actor: Actor) {
  return db.apiToken.findMany({
    where: { userId: actor.userId },
    orderBy: { createdAt: "desc" },
    select: {
      id: true,
      name: true,
      scope: true,
      prefix: true,
      createdAt: true,
      expiresAt: true,
      lastUsedAt: true,
      revokedAt: true,
      team: { select: { id: true, name: true } },
    },
  });
}

export async function revokeApiToken(db: Db, actor: Actor, tokenId: string) {
  const token = await db.apiToken.findFirst({
    where: { id: tokenId, userId: actor.userId },
    select: { id: true, teamId: true, name: true, revokedAt: true },
  });
  if (!token) throw notFound("Token");
  if (!token.revokedAt) {
    await db.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await recordAudit(db, actor, {
      teamId: token.teamId,
      action: "token.revoke",
      targetType: "token",
      targetId: token.id,
      detail: { name: token.name },
    });
  }
  return { ok: true as const };
}

export interface TokenCaller {
  user: { id: string; name: string; email: string; instanceRole: "owner" | "user" };
  token: { id: string; teamId: string; scope: TokenScope };
}

/**
 * The user and team behind a Bearer token, or an UNAUTHORIZED-class refusal. Revoked and
 * expired tokens fail at once (every request reads the row); a token whose user left the team
 * acts as nobody there (the membership check follows).
 */
export async function resolveApiToken(db: Db, secret: string): Promise<TokenCaller> {
  const row = secret.startsWith(API_TOKEN_PREFIX)
    ? await db.apiToken.findUnique({
        where: { tokenHash: hashSecret(secret) },
        include: { user: { select: { id: true, name: true, email: true, instanceRole: true } } },
      })
    : null;
  if (!row || row.revokedAt || (row.expiresAt && row.expiresAt <= new Date())) {
    throw new DomainError("UNAUTHENTICATED", "Invalid, expired or revoked API token");
  }
  // "Last used" to the minute: no write per request for a busy token.
  const now = new Date();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { user: row.user, token: { id: row.id, teamId: row.teamId, scope: row.scope } };
}
