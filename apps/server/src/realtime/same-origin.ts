import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/**
 * A browser request is same-origin when its Origin names exactly the origin it was sent to:
 * scheme, host and port. The scheme is the public URL's when the request came for the public
 * URL's host (TLS may end at a proxy in front), else the connection's own. So a page on
 * http://berth.example.com (or any other port) cannot pass for https://berth.example.com.
 * Requests without Origin (curl, server-to-server) pass: cookies are SameSite=Lax anyway.
 */
export function isSameOrigin(req: IncomingMessage, publicUrl: string): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  let claimed: URL;
  let expected: URL;
  try {
    claimed = new URL(origin);
    const publicOrigin = new URL(publicUrl);
    const host = req.headers.host ?? "";
    const scheme = host === publicOrigin.host ? publicOrigin.protocol : (req.socket as TLSSocket).encrypted ? "https:" : "http:";
    expected = new URL(`${scheme}//${host}`);
  } catch {
    return false;
  }
  return claimed.origin === expected.origin;
}
