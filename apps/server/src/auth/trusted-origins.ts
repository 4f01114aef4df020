import type { IncomingMessage } from "node:http";
import type { Env } from "../config/env.ts";

type OriginEnv = Pick<Env, "publicUrl" | "BERTH_PORT" | "BERTH_TRUSTED_ORIGINS">;

/**
 * The one list of browser origins this instance trusts: its public URL, loopback on the host
 * at BERTH_PORT (what `npm run up` prints "on this machine"), and BERTH_TRUSTED_ORIGINS.
 * better-auth, the tRPC mutation check and the socket.io handshake all read it.
 */
export function trustedOrigins(env: OriginEnv): string[] {
  const list = [new URL(env.publicUrl).origin];
  if (env.BERTH_PORT > 0) {
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) list.push(`http://${host}:${env.BERTH_PORT}`);
  }
  list.push(...(env.BERTH_TRUSTED_ORIGINS ?? []));
  return [...new Set(list)];
}

/** Origin header -> trusted? A request without Origin (curl, server to server) passes: cookies are SameSite=Lax anyway. */
export function isTrustedOrigin(env: OriginEnv, origin: string | undefined): boolean {
  if (!origin) return true;
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false;
  }
  return trustedOrigins(env).includes(normalized);
}

export function isTrustedRequest(env: OriginEnv, req: IncomingMessage): boolean {
  return isTrustedOrigin(env, req.headers.origin);
}

/** What a refused browser is told: which address to open instead, and how an operator trusts this one. */
export function untrustedOriginMessage(env: OriginEnv, origin: string | undefined): string {
  return (
    `This Berth instance does not accept sign-in or changes from ${origin ?? "this address"}. ` +
    `Open ${env.publicUrl} instead, or ask the operator to add ${origin ?? "this address"} to BERTH_TRUSTED_ORIGINS.`
  );
}

export const UNTRUSTED_ORIGIN = "UNTRUSTED_ORIGIN";
