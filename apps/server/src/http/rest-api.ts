import type { IncomingMessage, ServerResponse } from "node:http";
import { createOpenApiNodeHttpHandler, generateOpenApiDocument, type OpenAPIObject } from "trpc-to-openapi";
import type { Auth } from "../auth/auth.ts";
import { clientIpOfRequest } from "../auth/client-ip.ts";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { type Context, createContext } from "../trpc/init.ts";
import { appRouter } from "../trpc/router.ts";

/**
 * The REST API for scripts and CI: every procedure with `meta.openapi` (trpc-to-openapi) served
 * under /api/v1 and described at /api/openapi.json. The same procedures as the dashboard's tRPC
 * calls (same authorization, scopes and errors), so the two cannot drift.
 */
export const REST_BASE = "/api/v1";
export const OPENAPI_PATH = "/api/openapi.json";

/** Answered 202 Accepted: they queue work rather than finish it. */
const ACCEPTED = new Set(["services.deploy", "deployments.rollback", "oneOffs.run"]);

export function openApiDocument(publicUrl: string): OpenAPIObject {
  const doc = generateOpenApiDocument(appRouter, {
    title: "Berth API",
    version: "1",
    description:
      "Send a personal API token (Settings, API tokens) as Authorization: Bearer <token>. Its scope (read, deploy, admin) caps what it may do; it acts only in its own team.",
    baseUrl: `${publicUrl.replace(/\/$/, "")}${REST_BASE}`,
    securitySchemes: { bearerToken: { type: "http", scheme: "bearer", description: "A Berth API token (berth_...)" } },
  });
  // The generator documents every success as 200; these answer 202 (responseMeta below).
  for (const item of Object.values(doc.paths ?? {})) {
    const op = item.post;
    const ok = op?.responses?.["200"];
    if (op?.responses && ok && ACCEPTED.has(op.operationId?.replace(/-/g, ".") ?? "")) {
      const { "200": _ok, ...errors } = op.responses;
      op.responses = { "202": { ...ok, description: "Accepted: the work is queued or started" }, ...errors };
    }
  }
  return doc;
}

export function createRestHandler(deps: Deps, auth: Auth) {
  // The node-http handler (not the standalone one, which hands createContext a fetch Request):
  // createContext reads the Node request's headers and socket like the tRPC handler's does.
  const handler = createOpenApiNodeHttpHandler<typeof appRouter, IncomingMessage, ServerResponse>({
    router: appRouter,
    maxBodySize: 1_000_000,
    // Tokens only: a browser's session cookie never authorizes a REST call (no CSRF surface here).
    createContext: async ({ req }) => {
      if (!/^Bearer\s+\S+$/i.test(req.headers.authorization ?? "")) {
        const sessionError = new DomainError("UNAUTHENTICATED", "Send an API token as Authorization: Bearer <token>");
        return { deps, ip: clientIpOfRequest(req, deps.env), user: null, sessionError } satisfies Context;
      }
      return createContext(deps, auth, req);
    },
    responseMeta: ({ paths, errors }) => (errors.length === 0 && paths?.some((p) => ACCEPTED.has(p)) ? { status: 202 } : {}),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") deps.log.error({ path, err: error.cause ?? error }, "REST call failed");
    },
  });
  return (req: IncomingMessage, res: ServerResponse) => {
    req.url = (req.url ?? "/").slice(REST_BASE.length) || "/";
    // `curl -X POST .../deploy` sends no body and no type: read as an empty JSON object, as before.
    const bodyless = !req.headers["content-type"] && !req.headers["transfer-encoding"] && Number(req.headers["content-length"] ?? 0) === 0;
    if (bodyless) {
      req.headers["content-type"] = "application/json";
      Object.assign(req, { body: {} });
    }
    return handler(req, res);
  };
}
