import type { IncomingHttpHeaders, IncomingMessage } from "node:http";
import type { Auth } from "../auth/auth.ts";
import { clientIpOfRequest } from "../auth/client-ip.ts";
import { userFromHeaders, type SessionUser } from "../auth/session.ts";
import type { Deps } from "../deps.ts";
import { databaseError } from "../instance/health-report.ts";
import { resolveApiToken } from "../tokens/api-tokens.ts";
import type { Actor } from "../teams/access.ts";

export interface Context {
  deps: Deps;
  user: SessionUser | null;
  /** Set when the caller authenticated with an API token: acts only in its team, within its scope. */
  token?: NonNullable<Actor["token"]>;
  /** The client's address (socket peer; X-Forwarded-For only from BERTH_TRUSTED_PROXIES). */
  ip: string;
  /** Why the caller could not be identified (database down, bad token), if so. */
  sessionError?: unknown;
}

function bearerOf(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/** Who is calling: an API token (Authorization: Bearer) if sent, otherwise the session cookie. */
export function createContext(deps: Deps, auth: Auth, req: IncomingMessage): Promise<Context> {
  return contextOf(deps, auth, req.headers, clientIpOfRequest(req, deps.env));
}

/** The same, from a request's headers and its client address (the dashboard's server render has no socket). */
export async function contextOf(deps: Deps, auth: Auth, headers: IncomingHttpHeaders, ip: string): Promise<Context> {
  const bearer = bearerOf(headers);
  try {
    if (bearer) {
      const caller = await resolveApiToken(deps.db, bearer);
      return { deps, ip, user: caller.user, token: caller.token };
    }
    return { deps, ip, user: await userFromHeaders(auth, headers) };
  } catch (err) {
    if (!bearer) deps.log.warn({ err: String(err) }, "session lookup failed");
    // The auth library may wrap the cause; ask the database directly whether it is there.
    const dbDown = await databaseError(deps.db);
    return { deps, ip, user: null, sessionError: dbDown ?? err };
  }
}
