import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

/**
 * The header Berth's edge proxy sets on every request it forwards to the dashboard: a token
 * derived from BERTH_SECRET, so only Caddy's config (loaded through the admin API) knows it. A
 * client that connects to the dashboard's port directly cannot forge it, and Caddy's `set`
 * replaces whatever a client sent through the proxy.
 */
export const EDGE_TOKEN_HEADER = "x-berth-edge";

/** The token for EDGE_TOKEN_HEADER (stable across restarts, so the proxy's config does not change). PURE. */
export function edgeToken(secret: string): string {
  return createHmac("sha256", secret).update("berth-edge-proxy:v1").digest("base64url");
}

/** Did this request come through Berth's edge proxy? Only then are its X-Forwarded-* headers believed. */
export function isFromEdge(headers: IncomingHttpHeaders, secret: string): boolean {
  const sent = headers[EDGE_TOKEN_HEADER];
  if (typeof sent !== "string") return false;
  const expected = Buffer.from(edgeToken(secret));
  const got = Buffer.from(sent);
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Did the browser reach the edge proxy over HTTPS? (X-Forwarded-Proto, believed only from the edge.) */
export function arrivedOverHttps(headers: IncomingHttpHeaders, secret: string): boolean {
  return isFromEdge(headers, secret) && headers["x-forwarded-proto"] === "https";
}
