import { createAuthClient } from "better-auth/react";
import { twoFactorClient } from "better-auth/client/plugins";
import { isReadable } from "./errors";
import { REQUEST_TIMEOUT_MS } from "./http";

/** better-auth on the same origin (apps/server mounts it at /api/auth, cookie sessions). */
export const authClient = createAuthClient({
  basePath: "/api/auth",
  fetchOptions: { timeout: REQUEST_TIMEOUT_MS },
  // Sign-in answers { twoFactorRedirect: true } when a code is needed; the sign-in form asks for it.
  plugins: [twoFactorClient()],
});

export interface AuthErrorLike {
  message?: string | undefined;
  status?: number | undefined;
  statusText?: string | undefined;
  code?: string | undefined;
}

/** A sentence for a better-auth error: the server's own message when it is readable. */
export function authErrorMessage(error: AuthErrorLike | null | undefined): string {
  if (!error) return "Something went wrong. Try again.";
  if (isReadable(error.message)) return error.message;
  switch (error.status) {
    case 0:
    case undefined:
      return "Can't reach the Berth server. Check that it is running, then retry.";
    case 401:
      return "Wrong email or password.";
    case 403:
      return "That is not allowed on this instance.";
    case 422:
    case 400:
      return "Some of the details are not valid.";
    case 429:
      return "Too many attempts. Wait a moment and try again.";
    default:
      return error.status >= 500 ? "Something went wrong on the server. Try again in a moment." : "Something went wrong. Try again.";
  }
}

/** Converts anything thrown by the auth client (network failure, timeout) to a sentence. */
export function thrownAuthMessage(err: unknown): string {
  if (err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError")) {
    return "The server took too long to answer. Try again.";
  }
  return "Can't reach the Berth server. Check that it is running, then retry.";
}
