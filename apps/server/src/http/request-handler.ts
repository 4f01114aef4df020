import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { toNodeHandler } from "better-auth/node";
import type { Auth } from "../auth/auth.ts";
import { stampClientIp } from "../auth/client-ip.ts";
import { isTrustedRequest, UNTRUSTED_ORIGIN, untrustedOriginMessage } from "../auth/trusted-origins.ts";
import type { Deps } from "../deps.ts";
import { dashboardUrl } from "../instance/dashboard-domain.ts";
import { arrivedOverHttps } from "../proxy/edge-request.ts";
import { markCookiesSecure } from "./secure-cookies.ts";
import { createContext } from "../trpc/init.ts";
import { appRouter } from "../trpc/router.ts";
import { createRestHandler, OPENAPI_PATH, openApiDocument, REST_BASE } from "./rest-api.ts";
import { handleHooks } from "./hooks.ts";
import { healthz } from "./healthz.ts";
import { userFromHeaders } from "../auth/session.ts";
import type { HealthViewer } from "../reconcile/health.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: message }));
}

/** better-auth's error shape ({code, message}), so the sign-in and sign-up pages show the message as it is. */
async function refuseOrigin(res: ServerResponse, deps: Deps, req: IncomingMessage): Promise<void> {
  const openUrl = await dashboardUrl(deps).catch(() => deps.env.publicUrl);
  const message = untrustedOriginMessage(openUrl, req.headers.origin);
  res.writeHead(403, { "content-type": "application/json" });
  res.end(JSON.stringify({ code: UNTRUSTED_ORIGIN, message, error: message }));
}

function isJson(req: IncomingMessage): boolean {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  return type === "application/json";
}

/** The signed-in caller of /healthz, if any (a probe sends no cookie: no session lookup). */
async function viewerOf(auth: Auth, req: IncomingMessage): Promise<HealthViewer | null> {
  if (!req.headers.cookie) return null;
  const user = await userFromHeaders(auth, req.headers).catch(() => null);
  return user ? { userId: user.id, instanceRole: user.instanceRole } : null;
}

/** Routes one port: /healthz, /api/auth/* (better-auth), /trpc/* (tRPC), /api/v1/* (REST, tokens only), /api/openapi.json, /hooks/* (webhooks), everything else to Next. */
export function createRequestHandler(deps: Deps, auth: Auth, nextHandler: Handler): RequestListener {
  const authHandler = toNodeHandler(auth);
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    createContext: ({ req }) => createContext(deps, auth, req),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") deps.log.error({ path, err: error.cause ?? error }, "procedure failed");
    },
  });

  const restHandler = createRestHandler(deps, auth);
  let openApiJson: string | undefined;

  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const run = (handler: Handler) =>
      Promise.resolve(handler(req, res)).catch((err: unknown) => {
        deps.log.error({ path, err }, "request failed");
        if (!res.headersSent) refuse(res, 500, "Internal error");
      });
    if (path === "/healthz") return void run((rq, r) => viewerOf(auth, rq).then((viewer) => healthz(deps, r, viewer)));
    if (path.startsWith("/api/auth/")) {
      stampClientIp(req, deps.env);
      // Over HTTPS (the dashboard domain, through the edge proxy) the session cookies are Secure.
      if (arrivedOverHttps(req.headers, deps.env.BERTH_SECRET)) markCookiesSecure(res);
      return void run(async () => {
        if (req.method !== "GET" && !(await isTrustedRequest(deps, req))) return refuseOrigin(res, deps, req);
        await authHandler(req, res);
      });
    }
    if (path.startsWith("/trpc/")) {
      return void run(async () => {
        if (req.method !== "GET") {
          if (!(await isTrustedRequest(deps, req))) return refuseOrigin(res, deps, req);
          // A form post cannot send application/json without a CORS preflight, which we never grant.
          if (!isJson(req)) return refuse(res, 415, "Mutations need Content-Type: application/json");
        }
        await trpcHandler(req, res);
      });
    }
    if (path === OPENAPI_PATH) {
      return void run((_rq, rs) => {
        openApiJson ??= JSON.stringify(openApiDocument(deps.env.publicUrl));
        rs.writeHead(200, { "content-type": "application/json" }).end(openApiJson);
      });
    }
    if (path.startsWith(`${REST_BASE}/`)) return void run(restHandler);
    if (path.startsWith("/hooks/")) return void run((rq, rs) => handleHooks(deps, rq, rs, path));
    return void run(nextHandler);
  };
}
