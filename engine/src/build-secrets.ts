/**
 * Build secrets: ids are validated (they name /run/secrets/<id> in the build container) and
 * values are masked in every build-output line. PURE.
 */
import { EngineError } from "./errors.ts";

const SECRET_ID = /^[A-Za-z0-9_.-]{1,128}$/;
export const SECRET_MASK = "****";

export function assertValidSecrets(secrets: Record<string, string>, operation: string): void {
  for (const [id, value] of Object.entries(secrets)) {
    if (!SECRET_ID.test(id)) {
      throw new EngineError({
        code: "INVALID",
        operation,
        resource: "build secrets",
        message: `${operation}: build secret id ${JSON.stringify(id.slice(0, 64))} must be 1-128 letters, digits, '_', '.' or '-'`,
      });
    }
    if (value.length > 512 * 1024) {
      throw new EngineError({
        code: "INVALID",
        operation,
        resource: "build secrets",
        message: `${operation}: build secret ${id} is larger than 512 KiB`,
      });
    }
  }
}

/** Replaces every occurrence of a secret value (longest first) with ****. */
export function buildSecretMask(secrets: Record<string, string>): (line: string) => string {
  const values = [...new Set(Object.values(secrets))].filter((v) => v !== "").sort((a, b) => b.length - a.length);
  const lines = values.flatMap((v) => v.split(/\r?\n/)).filter((v) => v.trim() !== "");
  const needles = [...new Set([...values, ...lines])].sort((a, b) => b.length - a.length);
  if (needles.length === 0) return (line) => line;
  return (line) => needles.reduce((masked, needle) => masked.split(needle).join(SECRET_MASK), line);
}
