import { betterAuth } from "better-auth";
import { APIError, createAuthMiddleware } from "better-auth/api";
import { FixedWindowLimiter } from "../http/rate-limiter.ts";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { twoFactor } from "better-auth/plugins";
import type { Db } from "@berth/db";
import type { Env } from "../config/env.ts";
import type { Log } from "../log.ts";
import type { Mailer } from "../mail/mailer.ts";
import { signupStatus } from "../instance/settings.ts";
import { ensurePersonalTeam } from "../teams/personal-team.ts";
import { hasPendingInvitation } from "../teams/invitations.ts";
import { recordAudit } from "../audit/audit.ts";
import { CLIENT_IP_HEADER } from "./client-ip.ts";
import { trustedOrigins } from "./trusted-origins.ts";

/**
 * Email + password auth (better-auth; scrypt password hashing) with cookie sessions
 * (HttpOnly, SameSite=Lax, Secure when served over https). The first user becomes the
 * instance owner; after that sign-up is closed unless the instance setting opens it.
 */
export interface AuthOptions {
  /** Per-client-address limits on auth endpoints (sign-in/up: 3 per 10 s). On unless BERTH_AUTH_RATE_LIMIT=off or a test turns it off. */
  rateLimit?: boolean;
}

export function createAuth(deps: { db: Db; env: Env; log: Log; mailer?: Mailer | null }, options: AuthOptions = {}) {
  const { db, env, log, mailer } = deps;
  const secure = env.publicUrl.startsWith("https://");
  const limited = options.rateLimit ?? env.BERTH_AUTH_RATE_LIMIT === "on";
  // Per account, whatever the address: a distributed guesser gets 10 tries per 15 minutes.
  const perAccount = new FixedWindowLimiter({ max: 10, windowMs: 15 * 60_000 });
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
    // The same list the tRPC mutation check and the socket handshake use (request-handler.ts).
    trustedOrigins: trustedOrigins(env),
    // TOTP two-factor with one-time recovery codes; secret and codes stored encrypted with BERTH_SECRET.
    plugins: [twoFactor({ issuer: "Berth", backupCodeOptions: { amount: 10 } })],
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      maxPasswordLength: 256,
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
                text: `Someone asked to reset the password of your Berth account. If it was you, open this link within an hour:\n\n${url}\n\nOtherwise ignore this email.`,
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
        if (!limited || ctx.path !== "/sign-in/email") return;
        const email = (ctx.body as { email?: unknown } | undefined)?.email;
        if (typeof email === "string" && !perAccount.hit(email.trim().toLowerCase())) {
          throw new APIError("TOO_MANY_REQUESTS", { message: "Too many sign-in attempts for this account. Wait 15 minutes and try again." });
        }
      }),
    },
    rateLimit: { enabled: limited, window: 60, max: 100, storage: "memory" },
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
            await recordAudit(db, { userId: user.id, instanceRole: "user", email: user.email, ip }, { teamId: null, action: "auth.sign_up" });
            log.info({ userId: user.id }, "user signed up");
          },
        },
      },
      session: {
        create: {
          after: async (session) => {
            await recordAudit(db, { userId: session.userId, instanceRole: "user", ip: session.ipAddress ?? "" }, { teamId: null, action: "auth.sign_in" });
          },
        },
      },
    },
  });
}

export type Auth = ReturnType<typeof createAuth>;
