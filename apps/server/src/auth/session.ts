import type { IncomingHttpHeaders } from "node:http";
import { fromNodeHeaders } from "better-auth/node";
import type { Auth } from "./auth.ts";

export interface SessionUser {
  id: string;
  name: string;
  email: string;
  instanceRole: "owner" | "user";
  twoFactorEnabled?: boolean;
  /** The session behind the request (absent for API-token callers). */
  sessionId?: string;
}

/** The signed-in user behind a request's cookies, or null. */
export async function userFromHeaders(auth: Auth, headers: IncomingHttpHeaders): Promise<SessionUser | null> {
  const session = await auth.api.getSession({ headers: fromNodeHeaders(headers) });
  if (!session) return null;
  const { id, name, email } = session.user;
  const role = (session.user as { instanceRole?: string }).instanceRole === "owner" ? "owner" : "user";
  const twoFactorEnabled = (session.user as { twoFactorEnabled?: boolean | null }).twoFactorEnabled === true;
  return { id, name, email, instanceRole: role, twoFactorEnabled, sessionId: session.session.id };
}
