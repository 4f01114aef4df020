import type { IncomingMessage } from "node:http";

/** Header carrying the client address as the control plane saw it; never taken from the client. */
export const CLIENT_IP_HEADER = "x-berth-client-ip";

function normalize(address: string): string {
  const a = address.trim();
  return a.startsWith("::ffff:") ? a.slice(7) : a;
}

/**
 * The client's address: the socket's peer, unless the peer is one of the configured trusted
 * proxies, in which case X-Forwarded-For is read from the right, skipping trusted proxies, and
 * the first untrusted hop is the client. A client never picks its own address otherwise.
 */
export function clientIpOf(peer: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: readonly string[]): string {
  const trusted = new Set(trustedProxies.map(normalize));
  let client = normalize(peer ?? "");
  if (!trusted.has(client) || !forwardedFor) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor).split(",").map(normalize).filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    client = hops[i] ?? client;
    if (!trusted.has(client)) break;
  }
  return client;
}

export function clientIpOfRequest(req: IncomingMessage, trustedProxies: readonly string[]): string {
  return clientIpOf(req.socket.remoteAddress, req.headers["x-forwarded-for"], trustedProxies);
}

/** Overwrite whatever the client sent in CLIENT_IP_HEADER with the address computed here. */
export function stampClientIp(req: IncomingMessage, trustedProxies: readonly string[]): void {
  req.headers[CLIENT_IP_HEADER] = clientIpOfRequest(req, trustedProxies);
}
