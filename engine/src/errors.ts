/**
 * EngineError: the one error type the engine throws. It names the operation and the
 * resource it was working on, keeps the engine's own message, and carries a code the
 * control plane maps onto its domain errors.
 */

export type EngineErrorCode =
  | "ENGINE_UNAVAILABLE"
  | "IMAGE_UNAVAILABLE"
  | "INVALID"
  | "HEALTHCHECK_FAILED"
  | "BUILD_FAILED"
  | "TIMEOUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "CANCELLED"
  | "ENGINE_ERROR";

export interface EngineErrorDetails {
  /** Last log lines of the container or build that failed. */
  logs?: string[];
  /** Failures met while cleaning up after the main failure. */
  cleanupErrors?: string[];
  [key: string]: unknown;
}

export interface EngineErrorInit {
  code: EngineErrorCode;
  operation: string;
  resource: string;
  message: string;
  details?: EngineErrorDetails;
  cause?: unknown;
}

export class EngineError extends Error {
  override readonly name = "EngineError";
  readonly code: EngineErrorCode;
  /** What the engine was doing, e.g. "create container". */
  readonly operation: string;
  /** What it was doing it to, e.g. a container name or image reference. */
  readonly resource: string;
  readonly details: EngineErrorDetails | undefined;

  constructor(init: EngineErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.operation = init.operation;
    this.resource = init.resource;
    this.details = init.details;
  }
}

export function isEngineError(err: unknown, code?: EngineErrorCode): err is EngineError {
  return err instanceof EngineError && (code === undefined || err.code === code);
}

/** The answer of an inspect, or null when the engine has no such object (NOT_FOUND); other errors pass. */
export async function orNullIfMissing<T>(answer: Promise<T>): Promise<T | null> {
  try {
    return await answer;
  } catch (err) {
    if (isEngineError(err, "NOT_FOUND")) return null;
    throw err;
  }
}

/** Socket-level failures that mean "the engine is not there or not answering". */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ENOENT",
  "EACCES",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "ESOCKETTIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
]);

interface ErrorLike {
  message?: unknown;
  statusCode?: unknown;
  code?: unknown;
  name?: unknown;
  json?: unknown;
}

/** HTTP status of a dockerode error, if the engine answered at all. */
export function engineStatusCode(err: unknown): number | undefined {
  const status = (err as ErrorLike | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}

/** The engine's own words: the JSON `message` of its answer, else the error message. */
export function engineMessage(err: unknown): string {
  const e = err as ErrorLike | null;
  const json = e?.json as { message?: unknown } | null | undefined;
  if (json && typeof json.message === "string" && json.message.trim() !== "") return json.message.trim();
  // dockerode prefixes "(HTTP code 500) server error - "; keep only the engine's words.
  if (typeof e?.message === "string") return e.message.replace(/^\(HTTP code \d+\) [^-]*- /, "").trim();
  return String(err);
}

export function isUnreachableError(err: unknown): boolean {
  const e = err as ErrorLike | null;
  if (typeof e?.code === "string" && UNREACHABLE_CODES.has(e.code)) return true;
  return e?.name === "AbortError" || e?.name === "TimeoutError";
}

/** Turn whatever dockerode threw into an EngineError; EngineErrors pass through unchanged. */
export function toEngineError(err: unknown, operation: string, resource: string): EngineError {
  if (err instanceof EngineError) return err;
  const status = engineStatusCode(err);
  const reason = engineMessage(err);
  let code: EngineErrorCode = "ENGINE_ERROR";
  if (status === 404) code = "NOT_FOUND";
  else if (status === 409) code = "CONFLICT";
  else if (status === undefined && isUnreachableError(err)) code = "ENGINE_UNAVAILABLE";
  const prefix = code === "ENGINE_UNAVAILABLE" ? "container engine unreachable: " : "";
  return new EngineError({
    code,
    operation,
    resource,
    message: `${operation} ${resource}: ${prefix}${reason}`,
    details: status === undefined ? undefined : { statusCode: status },
    cause: err,
  });
}

/** The same error with more details (e.g. cleanupErrors appended): EngineErrors are immutable. */
export function withDetails(err: unknown, operation: string, resource: string, extra: EngineErrorDetails): EngineError {
  const base = toEngineError(err, operation, resource);
  const cleanupErrors = [...(base.details?.cleanupErrors ?? []), ...(extra.cleanupErrors ?? [])];
  const details: EngineErrorDetails = { ...base.details, ...extra, ...(cleanupErrors.length > 0 ? { cleanupErrors } : {}) };
  if (cleanupErrors.length === 0) delete details.cleanupErrors;
  const { code, operation: op, resource: res, message } = base;
  return new EngineError({ code, operation: op, resource: res, message, details, cause: base.cause ?? err });
}
