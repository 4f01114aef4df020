import type { IncomingMessage } from "node:http";

/**
 * A browser request is same-origin when its Origin (if any) names the host it was sent to.
 * Requests without Origin (curl, server-to-server) pass: cookies are SameSite=Lax anyway.
 */
export function isSameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
