import { DomainError } from "./errors.ts";

function codeOf(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

/** Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(err: unknown): boolean {
  return codeOf(err) === "P2002";
}

const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "ECONNRESET", "57P01", "P1001", "P1002", "P1017"]);

/** True when the error (or one it wraps) says Postgres could not be reached (not a query error). */
export function isDatabaseUnreachable(err: unknown, depth = 0): boolean {
  if (!err || depth > 5) return false;
  const code = codeOf(err);
  if (code && UNREACHABLE.has(code)) return true;
  const message = err instanceof Error ? err.message : "";
  if (
    /ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect|Can't reach database|DatabaseNotReachable/i.test(message)
  ) {
    return true;
  }
  return typeof err === "object" && "cause" in err && isDatabaseUnreachable((err as { cause: unknown }).cause, depth + 1);
}

export function databaseUnavailable(): DomainError {
  return new DomainError("DATABASE_UNAVAILABLE", "The database (PostgreSQL) is unreachable; try again when it is back");
}
