import { createHmac, randomBytes, randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { WindowLimiter } from "../rate-limits/window-limiter.ts";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { twoFactor } from "better-auth/plugins";
import type { Db } from "@berth/db";
import type { Env } from "../config/env.ts";
import type { Log } from "../log.ts";
import type { Mailer } from "../mail/mailer.ts";
import { signupStatus } from "../instance/settings.ts";
import { onDashboardUrl } from "../instance/dashboard-domain.ts";
import { ensurePersonalTeam } from "../teams/personal-team.ts";
import { hasPendingInvitation } from "../teams/invitations.ts";
import { recordAudit } from "../audit/audit.ts";
import { CLIENT_IP_HEADER } from "./client-ip.ts";
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, passwordProblem, WEAK_PASSWORD } from "./password-policy.ts";

const accountKey = (email: string) => email.trim().toLowerCase();

/** Set on a browser once it holds a session of the account: the per-account lock lets it through. */
const DEVICE_COOKIE = "berth.known_device";
const deviceToken = (secret: string, email: string) =>
  createHmac("sha256", secret)
    .update(`berth-known-device:${accountKey(email)}`)
    .digest("base64url");
import { originsNow } from "./trusted-origins.ts";

/**
 * Email + password auth (better-auth; scrypt password hashing) with cookie sessions
 * (HttpOnly, SameSite=Lax, Secure when the public URL is https, and on every response to a
 * request that reached the edge proxy over HTTPS: http/secure-cookies.ts). The first user becomes the
 * instance owner; after that sign-up is closed unless the instance setting opens it.
 */
export interface AuthOptions {
  /** Per-client-address limits on auth endpoints (sign-in/up: 3 per 10 s). On unless BERTH_AUTH_RATE_LIMIT=off or a test turns it off. */
  rateLimit?: boolean;
}

export function createAuth(deps: { db: Db; env: Env; log: Log; mailer?: Mailer | null }, options: AuthOptions = {}) {
  const { db, env, log, mailer } = deps;
  const secure = new URL(env.publicUrl).protocol === "https:";
  const limited = options.rateLimit ?? env.BERTH_AUTH_RATE_LIMIT === "on";
  // Per account, whatever the address: a distributed guesser gets 10 failed tries per 15 minutes.
  const perAccount = new WindowLimiter({ name: "sign-in-account", max: 10, windowMs: 15 * 60_000 });
  return betterAuth({
    appName: "Berth",
    baseURL: env.publicUrl,
    basePath: "/api/auth",
    secret: env.BERTH_SECRET,
    database: prismaAdapter(db, { provider: "postgresql" }),
    telemetry: { enabled: false },
    // Into Berth's structured log; error objects are reduced to their message (no stack dumps).
    logger: {
      log: (level, message, ...args) =>
        log[level]({ component: "auth", detail: args.map((a) => (a instanceof Error ? a.message : String(a))) }, message),
    },
    // The same list the tRPC mutation check and the socket handshake use (request-handler.ts),
    // read per request: the dashboard domain can change while Berth runs.
    trustedOrigins: () => originsNow(deps),
    // TOTP two-factor with one-time recovery codes; secret and codes stored encrypted with BERTH_SECRET.
    plugins: [twoFactor({ issuer: "Berth", backupCodeOptions: { amount: 10 } })],
    emailAndPassword: {
      enabled: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      maxPasswordLength: MAX_PASSWORD_LENGTH,
      autoSignIn: true,
      // Password reset by email only when SMTP is configured; a reset signs out every session.
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      ...(mailer
        ? {
            sendResetPassword: async ({ user, url }: { user: { email: string }; url: string }) => {
              await mailer.send({
                to: user.email,
                subject: "Reset your Berth password",
                text: `Someone asked to reset the password of your Berth account. If it was you, open this link within an hour:\n\n${await onDashboardUrl(deps, url)}\n\nOtherwise ignore this email.`,
              });
            },
          }
        : {}),
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    user: {
      additionalFields: { instanceRole: { type: "string", required: false, input: false, defaultValue: "user" } },
    },
    advanced: {
      useSecureCookies: secure,
      cookiePrefix: "berth",
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure },
      database: { generateId: "uuid" },
      // Only the address the control plane itself saw (set in request-handler.ts): a
      // client-sent X-Forwarded-For never chooses its own rate-limit bucket.
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const body = (ctx.body ?? {}) as { email?: unknown; password?: unknown; newPassword?: unknown; name?: unknown };
        if (ctx.path === "/sign-in/email") {
          // Only failed attempts count (after hook): a correct password is never locked out by them.
          // A browser that signed in to this account before (its known-device cookie) is not locked out by others' failures.
          const known = typeof body.email === "string" && ctx.getCookie(DEVICE_COOKIE) === deviceToken(env.BERTH_SECRET, body.email);
          if (limited && typeof body.email === "string" && !known && (await perAccount.isBlocked(db, accountKey(body.email)))) {
            throw new APIError("TOO_MANY_REQUESTS", {
              message: "Too many sign-in attempts for this account. Wait 15 minutes and try again.",
            });
          }
          return;
        }
        if (ctx.path === "/reset-password" || ctx.path === "/change-password") {
          const problem = passwordProblem(body.newPassword);
          if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: WEAK_PASSWORD });
          return;
        }
        if (ctx.path !== "/sign-up/email") return;
        const problem = passwordProblem(body.password);
        if (problem) throw new APIError("BAD_REQUEST", { message: problem, code: WEAK_PASSWORD });
        if (typeof body.email !== "string") return;
        const email = body.email.trim().toLowerCase();
        const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
        if (!existing) return;
        // An existing email answers like a new account (200, same shape, no session), after the
        // same checks and about the same work, so sign-up does not tell who has an account.
        const status = await signupStatus(db);
        if (!status.signupOpen && !(await hasPendingInvitation(db, email))) {
          throw new APIError("FORBIDDEN", { message: "Sign-up is closed on this instance. Ask an administrator to open it." });
        }
        await ctx.context.password.hash(String(body.password));
        const now = new Date();
        return ctx.json({
          token: randomBytes(24).toString("base64url"),
          user: {
            id: randomUUID(),
            email,
            name: typeof body.name === "string" ? body.name : "",
            image: null,
            emailVerified: false,
            createdAt: now,
            updatedAt: now,
            instanceRole: "user",
            twoFactorEnabled: false,
          },
        });
      }),
      after: createAuthMiddleware(async (ctx) => {
        const returned = ctx.context.returned as { twoFactorRedirect?: boolean } | APIError | undefined;
        const signedIn = ctx.context.newSession?.user.email;
        // A session exists only after the password and, when enabled, the second factor.
        if (signedIn && !(returned instanceof APIError) && !(returned && "twoFactorRedirect" in returned && returned.twoFactorRedirect)) {
          ctx.setCookie(DEVICE_COOKIE, deviceToken(env.BERTH_SECRET, signedIn), {
            httpOnly: true,
            secure,
            sameSite: "lax",
            path: "/api/auth",
            maxAge: 180 * 86_400,
          });
        }
        if (!limited || ctx.path !== "/sign-in/email" || !(returned instanceof APIError)) return;
        const email = (ctx.body as { email?: unknown } | undefined)?.email;
        if (typeof email === "string") await perAccount.hit(db, accountKey(email));
      }),
    },
    // In Postgres (model RateLimit): every Berth process on this database shares the budgets.
    rateLimit: { enabled: limited, window: 60, max: 100, storage: "database" },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            const status = await signupStatus(db);
            // A pending invitation opens sign-up for its own email only.
            if (!status.signupOpen && !(await hasPendingInvitation(db, user.email))) {
              throw new APIError("FORBIDDEN", {
                message: "Sign-up is closed on this instance. Ask an administrator to open it.",
              });
            }
            return { data: { ...user, instanceRole: status.hasUsers ? "user" : "owner" } };
          },
          after: async (user, context) => {
            await ensurePersonalTeam(db, user);
            const ip = context?.headers?.get(CLIENT_IP_HEADER) ?? context?.request?.headers.get(CLIENT_IP_HEADER) ?? "";
            await recordAudit(
              db,
              { userId: user.id, instanceRole: "user", email: user.email, ip },
              { teamId: null, action: "auth.sign_up" },
            );
            log.info({ userId: user.id }, "user signed up");
          },
        },
      },
      session: {
        create: {
          after: async (session) => {
            await recordAudit(
              db,
              { userId: session.userId, instanceRole: "user", ip: session.ipAddress ?? "" },
              { teamId: null, action: "auth.sign_in" },
            );
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
