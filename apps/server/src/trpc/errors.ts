import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { DomainError, type DomainErrorCode } from "../errors.ts";
import { domainErrorOf } from "../domain-error-of.ts";

type TRPCCode = TRPCError["code"];

const DOMAIN_TO_TRPC: Record<DomainErrorCode, TRPCCode> = {
  UNAUTHENTICATED: "UNAUTHORIZED",
  NOT_FOUND: "NOT_FOUND",
  FORBIDDEN: "FORBIDDEN",
  CONFLICT: "CONFLICT",
  INVALID: "BAD_REQUEST",
  ENGINE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  ENGINE_FAILED: "BAD_GATEWAY",
  DATABASE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
  BUILD_FAILED: "UNPROCESSABLE_CONTENT",
  HEALTHCHECK_FAILED: "UNPROCESSABLE_CONTENT",
  TIMEOUT: "TIMEOUT",
};

/** Turn a domain, engine or database failure into the TRPCError the client sees. */
export function toTRPCError(cause: unknown): TRPCError | null {
  const domain = domainErrorOf(cause);
  if (!domain) return null;
  return new TRPCError({ code: DOMAIN_TO_TRPC[domain.code], message: domain.message, cause: domain });
}

/** Field-level messages from a DomainError or an input ZodError, keyed "a.0.b". */
export function fieldErrorsOf(cause: unknown): Record<string, string> | undefined {
  if (cause instanceof DomainError) return cause.fieldErrors;
  if (cause instanceof ZodError) {
    const out: Record<string, string> = {};
    for (const issue of cause.issues) {
      const key = issue.path.map(String).join(".") || "_";
      out[key] ??= issue.message;
    }
    return out;
  }
  return undefined;
}
