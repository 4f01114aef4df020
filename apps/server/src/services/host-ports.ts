/**
 * Host ports a service may not publish because Berth itself uses them, and the message for a
 * port that is taken. PURE. The checks against Postgres and the host are host-port-claim.ts.
 */
import type { Env } from "../config/env.ts";

/** The message for a port another service (of any team) or another program holds: it names neither. */
export const portInUseMessage = (port: number) => `Port ${port} is already in use on this server`;

export type PortEnv = Pick<
  Env,
  | "BERTH_PORT"
  | "BERTH_PROXY_HTTP_PORT"
  | "BERTH_PROXY_HTTPS_PORT"
  | "BERTH_PROXY_MARK_PORT"
  | "BERTH_PROXY_ADMIN"
  | "BERTH_PROXY_UPSTREAM_PORTS"
>;

/** Why Berth itself needs `port` (its dashboard, the edge proxy, the proxy's upstreams), or null. */
export function berthPortReason(env: PortEnv, port: number): string | null {
  const admin = /:(\d{1,5})$/.exec(env.BERTH_PROXY_ADMIN.startsWith("unix:") ? "" : env.BERTH_PROXY_ADMIN);
  const own: [number, string][] = [
    [env.BERTH_PORT, "Berth's dashboard and API"],
    [env.BERTH_PROXY_HTTP_PORT, "the edge proxy (HTTP)"],
    [env.BERTH_PROXY_HTTPS_PORT, "the edge proxy (HTTPS)"],
    [env.BERTH_PROXY_MARK_PORT, "the edge proxy's hand-over server"],
    ...(admin ? [[Number(admin[1]), "the edge proxy's admin API"] as [number, string]] : []),
  ];
  const hit = own.find(([p]) => p === port);
  if (hit) return `Port ${port} is used by Berth itself (${hit[1]}): choose another`;
  const { from, to } = env.BERTH_PROXY_UPSTREAM_PORTS;
  if (port >= from && port <= to) return `Ports ${from}-${to} are reserved for Berth's edge proxy: choose another`;
  return null;
}
