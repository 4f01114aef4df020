/**
 * Passwords Berth refuses besides short ones: the ~30,000 most common passwords of zxcvbn's
 * maintained list (@zxcvbn-ts/language-common), compared case-insensitively. PURE.
 */
import { dictionary } from "@zxcvbn-ts/language-common";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
/** The error code of a refused new password: the sign-up and reset forms show its message at the Password field. */
export const WEAK_PASSWORD = "WEAK_PASSWORD";

let common: Set<string> | null = null;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common.has(password.toLowerCase());
}

/** Why this new password is refused, or null. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== "string") return "Enter a password";
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Use at most ${MAX_PASSWORD_LENGTH} characters`;
  if (isCommonPassword(password)) return "This password is one of the most common ones: choose another";
  return null;
}
