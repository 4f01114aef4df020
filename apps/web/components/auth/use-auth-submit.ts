"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { authErrorMessage, thrownAuthMessage, type AuthErrorLike } from "@/lib/auth-client";

export type AuthField = "name" | "email" | "password";

/** A failed sign-in/up: the server's message, and the field it is about when that is clear. */
export class AuthFailure extends Error {
  constructor(
    message: string,
    readonly field?: AuthField,
  ) {
    super(message);
  }
}

function fieldOf(code: string | undefined): AuthField | undefined {
  if (!code || code === "INVALID_EMAIL_OR_PASSWORD") return undefined;
  if (code.includes("PASSWORD")) return "password";
  if (code.includes("EMAIL") || code === "USER_ALREADY_EXISTS") return "email";
  if (code.includes("NAME")) return "name";
  return undefined;
}

/** `?invite=<token>`: the invitation the user came from, to return to after signing in/up. */
export function inviteParam(): string | null {
  return typeof window === "undefined" ? null : new URLSearchParams(window.location.search).get("invite");
}

/** Runs a better-auth call; on success clears cached data of any previous user and goes to / (or back to the invitation). */
export function useAuthSubmit<T>(call: (input: T) => Promise<{ error: AuthErrorLike | null; data?: unknown }>) {
  const router = useRouter();
  const queryClient = useQueryClient();
  // "two-factor": the password was right and a second factor is needed; nothing is signed in yet.
  return useMutation<"done" | "two-factor", AuthFailure, T>({
    mutationFn: async (input) => {
      let result: { error: AuthErrorLike | null; data?: unknown };
      try {
        result = await call(input);
      } catch (err) {
        throw new AuthFailure(thrownAuthMessage(err));
      }
      if (result.error) throw new AuthFailure(authErrorMessage(result.error), fieldOf(result.error.code));
      const data = result.data as { twoFactorRedirect?: boolean } | null | undefined;
      return data?.twoFactorRedirect ? "two-factor" : "done";
    },
    onSuccess: (outcome) => {
      if (outcome === "two-factor") return;
      queryClient.clear();
      const invite = inviteParam();
      router.replace(invite ? `/invite/${encodeURIComponent(invite)}` : "/");
    },
  });
}
