import { TRPCClientError } from "@trpc/client";

/** Validation messages keyed by input field name (`name`, `image`, `env.2.key` ...). */
export type FieldErrors = Record<string, string>;

interface ErrorData {
  code?: unknown;
  httpStatus?: unknown;
  fieldErrors?: unknown;
}

const FRIENDLY: Record<string, string> = {
  UNAUTHORIZED: "Your session has ended. Please sign in again.",
  FORBIDDEN: "You don't have permission to do that.",
  NOT_FOUND: "That could not be found. It may have been deleted.",
  CONFLICT: "That conflicts with something that already exists.",
  BAD_REQUEST: "Some of the details are not valid.",
  PRECONDITION_FAILED: "That can't be done right now.",
  TOO_MANY_REQUESTS: "Too many requests. Wait a moment and try again.",
  TIMEOUT: "The server took too long to answer. Try again.",
  INTERNAL_SERVER_ERROR: "Something went wrong on the server. Try again in a moment.",
  SERVICE_UNAVAILABLE: "The server is not ready. Try again in a moment.",
};

const NETWORK_MESSAGE = "Can't reach the Berth server. Check that it is running, then retry.";
const TIMEOUT_MESSAGE = "The server took too long to answer. Try again.";

function dataOf(err: unknown): ErrorData | undefined {
  if (!(err instanceof TRPCClientError)) return undefined;
  const data: unknown = err.data;
  return typeof data === "object" && data !== null ? (data as ErrorData) : undefined;
}

/** The tRPC error code (`UNAUTHORIZED`, `BAD_REQUEST` ...), if the server sent one. */
export function errorCode(err: unknown): string | undefined {
  const code = dataOf(err)?.code;
  return typeof code === "string" ? code : undefined;
}

export function isUnauthorized(err: unknown): boolean {
  return errorCode(err) === "UNAUTHORIZED";
}

/** Field messages from a validation error; first message wins when the server sends a list. */
export function fieldErrorsOf(err: unknown): FieldErrors {
  const raw = dataOf(err)?.fieldErrors;
  if (typeof raw !== "object" || raw === null) return {};
  const out: FieldErrors = {};
  for (const [key, value] of Object.entries(raw)) {
    const message = Array.isArray(value) ? value.find((v) => typeof v === "string") : value;
    if (typeof message === "string" && message.length > 0) out[key] = message;
  }
  return out;
}

/** True for text a person can read: not JSON, not a parser or fetch internals message. */
export function isReadable(message: string | undefined | null): message is string {
  if (!message) return false;
  const text = message.trim();
  if (text.length === 0 || text.length > 300) return false;
  if (text.startsWith("{") || text.startsWith("[") || text.startsWith("<")) return false;
  return !/unexpected token|is not valid json|json\.parse|unable to transform|failed to fetch|fetch failed|networkerror|load failed/i.test(
    text,
  );
}

function causeName(err: unknown): string | undefined {
  const cause = err instanceof Error ? (err.cause ?? err) : undefined;
  return cause instanceof Error || cause instanceof DOMException ? cause.name : undefined;
}

function isNetworkFailure(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  if (err instanceof TRPCClientError && err.data) return false;
  return /failed to fetch|fetch failed|networkerror|load failed/i.test(err.message) || err.cause instanceof TypeError;
}

/** A sentence to show the user for any error thrown by a tRPC call. Never raw JSON. */
export function errorMessage(err: unknown, fallback = "Something went wrong. Try again."): string {
  const name = causeName(err);
  if (name === "TimeoutError") return TIMEOUT_MESSAGE;
  if (name === "AbortError") return "The request was cancelled. Try again.";
  if (isNetworkFailure(err)) return NETWORK_MESSAGE;
  const code = errorCode(err);
  const message = err instanceof Error ? err.message : undefined;
  if (isReadable(message)) return message;
  if (code && FRIENDLY[code]) return FRIENDLY[code];
  if (err instanceof TRPCClientError) return "The server sent an unexpected response. Try again in a moment.";
  return fallback;
}

/**
 * The message to show above a form's submit button: the whole error when it has no field
 * messages, otherwise only the field messages no input on the form displays.
 */
export function formLevelMessage(err: unknown, isShownAtField: (key: string) => boolean): string | null {
  if (!err) return null;
  const fields = fieldErrorsOf(err);
  const keys = Object.keys(fields);
  if (keys.length === 0) return errorMessage(err);
  const stray = keys.filter((key) => !isShownAtField(key));
  return stray.length ? stray.map((key) => fields[key]).join(" ") : null;
}
