import type { IncomingMessage } from "node:http";
import type { Env } from "../config/env.ts";
import { isFromEdge } from "../proxy/edge-request.ts";

type ProxyEnv = Pick<Env, "BERTH_TRUSTED_PROXIES" | "BERTH_SECRET">;

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
export function clientIpOf(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: readonly string[],
): string {
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

/**
 * The request's client address. Berth's own edge proxy (which proves itself with the edge token,
 * see proxy/edge-request.ts) counts as a trusted proxy besides BERTH_TRUSTED_PROXIES: without
 * that, every visitor of the dashboard domain would share the proxy's address (and its limits).
 */
export function clientIpOfRequest(req: IncomingMessage, env: ProxyEnv): string {
  const peer = req.socket.remoteAddress;
  const trusted = peer && isFromEdge(req.headers, env.BERTH_SECRET) ? [...env.BERTH_TRUSTED_PROXIES, peer] : env.BERTH_TRUSTED_PROXIES;
  return clientIpOf(peer, req.headers["x-forwarded-for"], trusted);
}

/** Overwrite whatever the client sent in CLIENT_IP_HEADER with the address computed here. */
export function stampClientIp(req: IncomingMessage, env: ProxyEnv): void {
  req.headers[CLIENT_IP_HEADER] = clientIpOfRequest(req, env);
}
