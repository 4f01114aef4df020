import { createHash, randomBytes } from "node:crypto";

/** Secrets Berth hands out once (API tokens, invitation links): 32 random bytes, base64url. */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString("base64url")}`;
}

/** Only this is stored: a lookup by hash never compares the secret itself. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret, "utf8").digest("hex");
}

export const API_TOKEN_PREFIX = "berth_";
