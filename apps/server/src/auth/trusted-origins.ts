import type { IncomingMessage } from "node:http";
import type { Env } from "../config/env.ts";
import type { Deps } from "../deps.ts";
import { dashboardOrigin, recentDashboardDomain } from "../instance/dashboard-origin.ts";

type OriginEnv = Pick<Env, "publicUrl" | "BERTH_PORT" | "BERTH_TRUSTED_ORIGINS">;

/**
 * The one list of browser origins this instance trusts: its public URL, loopback on the host
 * at BERTH_PORT (what `npm run up` prints "on this machine"), BERTH_TRUSTED_ORIGINS and the
 * dashboard domain (https://<domain>, through the edge proxy). PURE. better-auth, the tRPC
 * mutation check and the socket.io handshake all read it (through originsNow).
 */
export function trustedOrigins(env: OriginEnv, dashboard = ""): string[] {
  const list = [new URL(env.publicUrl).origin];
  if (env.BERTH_PORT > 0) {
    for (const host of ["127.0.0.1", "localhost", "[::1]"]) list.push(`http://${host}:${env.BERTH_PORT}`);
  }
  list.push(...(env.BERTH_TRUSTED_ORIGINS ?? []));
  if (dashboard) list.push(dashboard);
  return [...new Set(list)];
}

/**
 * The dashboard domain's origin as stored (read at most a second ago: recentDashboardDomain), or
 * "" (none, or the database did not answer: a sign-in there then fails like any untrusted
 * origin, while every other path keeps working).
 */
async function dashboardOriginNow(deps: Pick<Deps, "db" | "env" | "log">): Promise<string> {
  try {
    const domain = await recentDashboardDomain(deps.db);
    return domain ? dashboardOrigin(domain, deps.env.BERTH_PROXY_HTTPS_PORT) : "";
  } catch (err) {
    deps.log.warn({ err: String(err) }, "could not read the dashboard domain; trusting the configured origins only");
    return "";
  }
}

export async function originsNow(deps: Pick<Deps, "db" | "env" | "log">): Promise<string[]> {
  return trustedOrigins(deps.env, await dashboardOriginNow(deps));
}

/** Origin header -> trusted? A request without Origin (curl, server to server) passes: cookies are SameSite=Lax anyway. */
export function isTrustedOrigin(origins: readonly string[], origin: string | undefined): boolean {
  if (!origin) return true;
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false;
  }
  return origins.includes(normalized);
}

export async function isTrustedRequest(deps: Pick<Deps, "db" | "env" | "log">, req: IncomingMessage): Promise<boolean> {
  if (!req.headers.origin) return true;
  return isTrustedOrigin(await originsNow(deps), req.headers.origin);
}

/** What a refused browser is told: which address to open instead, and how an operator trusts this one. */
export function untrustedOriginMessage(openUrl: string, origin: string | undefined): string {
  return (
    `This Berth instance does not accept sign-in or changes from ${origin ?? "this address"}. ` +
    `Open ${openUrl} instead, or ask the operator to add ${origin ?? "this address"} to BERTH_TRUSTED_ORIGINS.`
  );
}

export const UNTRUSTED_ORIGIN = "UNTRUSTED_ORIGIN";
