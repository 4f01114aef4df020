import { initTRPC, TRPCError } from "@trpc/server";
import type { OpenApiMeta } from "trpc-to-openapi";
import type { Actor, TeamRole, TokenScope } from "../teams/access.ts";
import type { Context } from "./context.ts";
import { fieldErrorsOf, toTRPCError } from "./errors.ts";

export { createContext, type Context } from "./context.ts";

/**
 * What every procedure acts on and the role it needs. Set by the named procedure builders in
 * procedures.ts (the only way to build a procedure); a test walks the router and refuses any
 * procedure without one.
 *   public   - anyone (no team data)
 *   self     - the caller's own account (sessions, tokens, memberships); never via API token
 *   instance - instance administration; the instance owner only
 *   token    - the calling API token itself (its team and scope); API tokens only
 *   team / project / service / invitation - loaded by (id, caller's team) before the handler
 * `openapi` (trpc-to-openapi) publishes a procedure under /api/v1 as well (http/rest-api.ts).
 */
// A type, not an interface: trpc-to-openapi needs it assignable to Record<string, unknown>.
// `resource` is optional only so a router can add `openapi` with a second .meta() call; the
// builders always set it and a test refuses any procedure without one.
export type ProcedureMeta = {
  resource?: "public" | "self" | "instance" | "token" | "team" | "project" | "service" | "deployment" | "release" | "stack";
  role?: TeamRole | "instanceOwner";
  /** The least API-token scope allowed; defaults to read for queries, admin for mutations. */
  tokenScope?: TokenScope;
  /** Also served as REST: method, path under /api/v1, summary (see http/rest-api.ts). */
  openapi?: NonNullable<OpenApiMeta["openapi"]>;
};

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const internal = error.code === "INTERNAL_SERVER_ERROR";
      const firstFieldError = Object.values(fieldErrorsOf(error.cause) ?? {})[0];
      return {
        ...shape,
        // Internal errors are logged server-side; their text never reaches the client.
        message: internal ? "Something went wrong on the server; it has been logged" : (firstFieldError ?? shape.message),
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, fieldErrors: fieldErrorsOf(error.cause) ?? null },
      };
    },
  });

export const router = t.router;
export const middleware = t.middleware;

const errorConversion = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const converted = toTRPCError(result.error.cause);
    if (converted) throw converted;
  }
  return result;
});

/** Anyone may call it; it must not reveal team data. */
export const publicProcedure = t.procedure.use(errorConversion).meta({ resource: "public" });

/** Signed in (session or API token). Only procedures.ts builds on it: it declares no resource yet. */
export const signedInProcedure = t.procedure.use(errorConversion).use(({ ctx, next }) => {
  if (!ctx.user && ctx.sessionError !== undefined) {
    throw toTRPCError(ctx.sessionError) ?? new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: ctx.sessionError });
  }
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  const actor: Actor = { userId: ctx.user.id, instanceRole: ctx.user.instanceRole, email: ctx.user.email, ip: ctx.ip, token: ctx.token };
  return next({ ctx: { ...ctx, user: ctx.user, actor } });
});
