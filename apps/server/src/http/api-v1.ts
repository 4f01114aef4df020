import type { IncomingMessage, ServerResponse } from "node:http";
import { clientIpOfRequest } from "../auth/client-ip.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import type { Deps } from "../deps.ts";
import { domainErrorOf } from "../domain-error-of.ts";
import { DomainError, type DomainErrorCode } from "../errors.ts";
import { type Actor, scopeAtLeast } from "../teams/access.ts";
import { resolveApiToken } from "../tokens/api-tokens.ts";

const STATUS: Partial<Record<DomainErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID: 400,
  ENGINE_UNAVAILABLE: 503,
  DATABASE_UNAVAILABLE: 503,
};

const DEPLOY_PATH = /^\/api\/v1\/services\/([0-9a-f-]{36})\/deploy$/i;

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/** An API token's caller, required to hold at least the deploy scope. */
async function tokenActor(deps: Deps, req: IncomingMessage): Promise<Actor> {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  if (!match?.[1]) throw new DomainError("UNAUTHENTICATED", "Send an API token as Authorization: Bearer <token>");
  const { user, token } = await resolveApiToken(deps.db, match[1]);
  if (!scopeAtLeast(token.scope, "deploy")) {
    throw new DomainError("FORBIDDEN", `This needs a token with the deploy scope; this one has ${token.scope}`);
  }
  return { userId: user.id, instanceRole: user.instanceRole, email: user.email, ip: clientIpOfRequest(req, deps.env), token };
}

/**
 * The token API for scripts and CI (documented in README "API"):
 *   POST /api/v1/services/:id/deploy   Authorization: Bearer <deploy- or admin-scoped token>
 *   -> 202 { deploymentId }. The service must be in the token's team and its user a member or higher.
 */
export async function handleApiV1(deps: Deps, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const deploy = DEPLOY_PATH.exec(path);
  if (!deploy?.[1]) return reply(res, 404, { error: "No such API endpoint" });
  if (req.method !== "POST") {
    res.setHeader("allow", "POST");
    return reply(res, 405, { error: "Use POST" });
  }
  try {
    const actor = await tokenActor(deps, req);
    const { deploymentId } = await enqueueDeployment(deps, actor, deploy[1], "api");
    reply(res, 202, { deploymentId });
  } catch (err) {
    const domain = domainErrorOf(err);
    if (!domain) throw err;
    reply(res, STATUS[domain.code] ?? 500, { error: domain.message, code: domain.code });
  }
}
