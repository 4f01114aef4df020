import { TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  loadDeployment,
  loadProject,
  loadRelease,
  loadService,
  requireTeamRole,
  scopeAtLeast,
  type TeamRole,
  type TokenScope,
} from "../teams/access.ts";
import type { WindowLimiter } from "../rate-limits/window-limiter.ts";
import { loadStack } from "../stacks/stack-access.ts";
import { middleware, signedInProcedure } from "./init.ts";

export { publicProcedure } from "./init.ts";

/**
 * The named procedure builders. Each one declares (meta) what the procedure acts on and the
 * role it needs, and the resource-scoped ones load the resource by (id, caller's team) in a
 * middleware BEFORE any handler runs: another team's id -> NOT_FOUND, a lower role -> FORBIDDEN.
 */

interface ScopeOptions {
  /** The least API-token scope allowed (default: read for queries, admin for mutations). */
  tokenScope?: TokenScope;
}

/** API tokens act only through team-scoped procedures, within their scope. */
const tokenGuarded = signedInProcedure.use(({ ctx, meta, type, next }) => {
  const token = ctx.actor.token;
  if (!token) return next();
  if (!meta || meta.resource === "self" || meta.resource === "instance" || meta.resource === "public") {
    throw new TRPCError({ code: "FORBIDDEN", message: "API tokens cannot manage accounts or the instance; sign in instead" });
  }
  const need = meta.tokenScope ?? (type === "query" ? "read" : "admin");
  if (!scopeAtLeast(token.scope, need)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `This needs a token with the ${need} scope; this one has ${token.scope}` });
  }
  return next();
});

/** The caller's own account: sessions, tokens, teams they belong to. Never callable with an API token. */
export const selfProcedure = tokenGuarded.meta({ resource: "self" });

/** Instance administration: the instance owner only. */
export const instanceOwnerProcedure = tokenGuarded.meta({ resource: "instance", role: "instanceOwner" }).use(({ ctx, next }) => {
  if (ctx.actor.instanceRole !== "owner") throw new TRPCError({ code: "FORBIDDEN", message: "Only the instance owner can do this" });
  return next();
});

/** The calling API token itself (what `berth login` checks): refused to a session, which has no token. */
export const apiTokenProcedure = tokenGuarded.meta({ resource: "token", tokenScope: "read" }).use(({ ctx, next }) => {
  const token = ctx.actor.token;
  if (!token) throw new TRPCError({ code: "FORBIDDEN", message: "Only an API token can ask this; send Authorization: Bearer <token>" });
  return next({ ctx: { token } });
});

export function teamProcedure(role: TeamRole, options: ScopeOptions = {}) {
  return tokenGuarded
    .meta({ resource: "team", role, ...options })
    .input(z.object({ teamId: z.string().uuid("Unknown team") }))
    .use(async ({ ctx, input, next }) => {
      const teamRole = await requireTeamRole(ctx.deps.db, ctx.actor, input.teamId, role);
      return next({ ctx: { team: { id: input.teamId, role: teamRole } } });
    });
}

export function projectProcedure(role: TeamRole, options: ScopeOptions = {}) {
  return tokenGuarded
    .meta({ resource: "project", role, ...options })
    .input(z.object({ projectId: z.string().uuid("Unknown project") }))
    .use(async ({ ctx, input, next }) => {
      const loaded = await loadProject(ctx.deps.db, ctx.actor, input.projectId, role);
      return next({ ctx: { project: loaded.project, role: loaded.role } });
    });
}

export function serviceProcedure(role: TeamRole, options: ScopeOptions = {}) {
  return tokenGuarded
    .meta({ resource: "service", role, ...options })
    .input(z.object({ serviceId: z.string().uuid("Unknown service") }))
    .use(async ({ ctx, input, next }) => {
      const loaded = await loadService(ctx.deps.db, ctx.actor, input.serviceId, role);
      return next({ ctx: { service: loaded.service, role: loaded.role } });
    });
}

/** Acts on one deployment: loaded through its service and the caller's membership. */
export function deploymentProcedure(role: TeamRole, options: ScopeOptions = {}) {
  return tokenGuarded
    .meta({ resource: "deployment", role, ...options })
    .input(z.object({ deploymentId: z.string().uuid("Unknown deployment") }))
    .use(async ({ ctx, input, next }) => {
      const loaded = await loadDeployment(ctx.deps.db, ctx.actor, input.deploymentId, role);
      return next({ ctx: { service: loaded.service, role: loaded.role } });
    });
}

/** Acts on one retained release (rollback): loaded through its service and the caller's membership. */
export function releaseProcedure(role: TeamRole, options: ScopeOptions = {}) {
  return tokenGuarded
    .meta({ resource: "release", role, ...options })
    .input(z.object({ releaseId: z.string().uuid("Unknown release") }))
    .use(async ({ ctx, input, next }) => {
      const loaded = await loadRelease(ctx.deps.db, ctx.actor, input.releaseId, role);
      return next({ ctx: { service: loaded.service, role: loaded.role } });
    });
}

/** Refuses a client address past the limiter's budget (e.g. guessing invitation links). */
export function limitedPerAddress(limiter: WindowLimiter) {
  return middleware(async ({ ctx, next }) => {
    if (!(await limiter.hit(ctx.deps.db, ctx.ip)))
      throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: "Too many attempts from your address. Wait a few minutes and try again." });
    return next();
  });
}

/** Acts on one compose stack: loaded through its project and the caller's membership. */
export function stackProcedure(role: TeamRole, options: ScopeOptions = {}) {
  return tokenGuarded
    .meta({ resource: "stack", role, ...options })
    .input(z.object({ stackId: z.string().uuid("Unknown stack") }))
    .use(async ({ ctx, input, next }) => {
      const loaded = await loadStack(ctx.deps.db, ctx.actor, input.stackId, role);
      return next({ ctx: { stack: loaded.stack, role: loaded.role } });
    });
}
