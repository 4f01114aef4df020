import type { IncomingMessage } from "node:http";

/** Header carrying the client address as the control plane saw it; never taken from the client. */
export const CLIENT_IP_HEADER = "x-berth-client-ip";

/**
 * Overwrite whatever the client sent in CLIENT_IP_HEADER with the socket's peer address.
 * (Trusting X-Forwarded-For from configured proxies comes with the proxy feature.)
 */
export function stampClientIp(req: IncomingMessage): void {
  const address = req.socket.remoteAddress ?? "";
  req.headers[CLIENT_IP_HEADER] = address.startsWith("::ffff:") ? address.slice(7) : address;
}
