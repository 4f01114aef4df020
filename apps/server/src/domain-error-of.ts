import { isEngineError, type EngineError } from "@berth/engine";
import { DomainError, type DomainErrorCode } from "./errors.ts";
import { databaseUnavailable, isDatabaseUnreachable } from "./db-errors.ts";

const ENGINE_TO_DOMAIN: Record<EngineError["code"], DomainErrorCode> = {
  ENGINE_UNAVAILABLE: "ENGINE_UNAVAILABLE",
  IMAGE_UNAVAILABLE: "INVALID",
  INVALID: "INVALID",
  HEALTHCHECK_FAILED: "HEALTHCHECK_FAILED",
  TIMEOUT: "TIMEOUT",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  ENGINE_ERROR: "ENGINE_FAILED",
  BUILD_FAILED: "BUILD_FAILED",
  CANCELLED: "CONFLICT",
};

/** A use case's failure as a DomainError: its own, the engine's, or "database unreachable". */
export function domainErrorOf(cause: unknown): DomainError | null {
  if (cause instanceof DomainError) return cause;
  if (isEngineError(cause)) {
    const message = cause.code === "ENGINE_UNAVAILABLE" ? `The Docker Engine is unreachable: ${cause.message}` : cause.message;
    return new DomainError(ENGINE_TO_DOMAIN[cause.code], message);
  }
  if (isDatabaseUnreachable(cause)) return databaseUnavailable();
  return null;
}
