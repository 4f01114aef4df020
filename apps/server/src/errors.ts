/** One error type for every use case; the tRPC layer maps `code` to a transport code. */
export type DomainErrorCode =
  | "UNAUTHENTICATED"
  | "NOT_FOUND"
  | "FORBIDDEN"
  | "CONFLICT"
  | "INVALID"
  | "ENGINE_UNAVAILABLE"
  | "ENGINE_FAILED"
  | "DATABASE_UNAVAILABLE"
  | "BUILD_FAILED"
  | "HEALTHCHECK_FAILED"
  | "TIMEOUT";

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  /** Field-level messages, keyed by input field name (e.g. "name", "env.2.key"). */
  readonly fieldErrors?: Record<string, string>;

  constructor(code: DomainErrorCode, message: string, fieldErrors?: Record<string, string>) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.fieldErrors = fieldErrors;
  }
}

export function invalidField(field: string, message: string): DomainError {
  return new DomainError("INVALID", message, { [field]: message });
}

export function notFound(what: string): DomainError {
  return new DomainError("NOT_FOUND", `${what} not found`);
}
