import { initTRPC, TRPCError } from "@trpc/server";
import type { IncomingMessage } from "node:http";
import type { Deps } from "../deps.ts";
import type { Auth } from "../auth/auth.ts";
import { userFromHeaders, type SessionUser } from "../auth/session.ts";
import type { Actor } from "../teams/access.ts";
import { fieldErrorsOf, toTRPCError } from "./errors.ts";

export interface Context {
  deps: Deps;
  user: SessionUser | null;
  /** Why the session could not be looked up (e.g. PostgreSQL down), if it could not. */
  sessionError?: unknown;
}

export async function createContext(deps: Deps, auth: Auth, req: IncomingMessage): Promise<Context> {
  try {
    return { deps, user: await userFromHeaders(auth, req.headers) };
  } catch (err) {
    deps.log.warn({ err: String(err) }, "session lookup failed");
    // The auth library may wrap the cause; ask the database directly whether it is there.
    const dbDown = await deps.db.$queryRaw`SELECT 1`.then(() => null, (dbErr: unknown) => dbErr);
    return { deps, user: null, sessionError: dbDown ?? err };
  }
}

const t = initTRPC.context<Context>().create({
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

const errorConversion = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    const converted = toTRPCError(result.error.cause);
    if (converted) throw converted;
  }
  return result;
});

export const publicProcedure = t.procedure.use(errorConversion);

/** Signed in; the use case then checks the caller's role in the team that owns the resource. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user && ctx.sessionError !== undefined) {
    throw toTRPCError(ctx.sessionError) ?? new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: ctx.sessionError });
  }
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue" });
  const actor: Actor = { userId: ctx.user.id, instanceRole: ctx.user.instanceRole };
  return next({ ctx: { ...ctx, user: ctx.user, actor } });
});
