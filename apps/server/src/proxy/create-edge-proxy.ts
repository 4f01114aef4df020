import type { Db } from "@berth/db";
import type { Env } from "../config/env.ts";
import type { Log } from "../log.ts";
import { CaddyAdmin } from "./caddy-admin.ts";
import { EdgeProxy } from "./edge-proxy.ts";
import type { SealedBox } from "../secrets/sealed-box.ts";
import { edgeToken } from "./edge-request.ts";
import { clusterEdgeConfigOf } from "../cluster/routing/edge-config.ts";

/** Where the proxy reaches this control plane: its own address, loopback when it listens on every interface. PURE. */
export function controlPlaneAddress(env: Pick<Env, "BERTH_HOST" | "BERTH_PORT">): string {
  const host = ["", "0.0.0.0", "::", "[::]"].includes(env.BERTH_HOST) ? "127.0.0.1" : env.BERTH_HOST;
  return `${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${env.BERTH_PORT}`;
}

/** The edge proxy this configuration asks for, or null when BERTH_PROXY_ADMIN is off. */
export function createEdgeProxy(env: Env, deps: { db: Db; log: Log; box: SealedBox }): EdgeProxy | null {
  if (env.BERTH_PROXY_ADMIN === "off") return null;
  return new EdgeProxy({
    ...deps,
    log: deps.log.child({ component: "proxy" }),
    admin: new CaddyAdmin(env.BERTH_PROXY_ADMIN),
    dashboard: { upstream: controlPlaneAddress(env), edgeToken: edgeToken(env.BERTH_SECRET) },
    cluster: { edgePort: clusterEdgeConfigOf(env).port, secret: env.BERTH_SECRET },
    listen: {
      httpPort: env.BERTH_PROXY_HTTP_PORT,
      httpsPort: env.BERTH_PROXY_HTTPS_PORT,
      bindHost: env.BERTH_PROXY_BIND,
      adminListen: env.BERTH_PROXY_ADMIN,
      storageDir: env.BERTH_PROXY_DATA_DIR,
      ...(env.BERTH_PROXY_MARK_PORT === 0 ? {} : { markPort: env.BERTH_PROXY_MARK_PORT }),
    },
  });
}
