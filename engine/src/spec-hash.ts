/**
 * A stable hash of a release spec: the same desired state always gives the same hash, so
 * reconcile can tell "this container was made from exactly this spec" from "drifted".
 * PURE (hashing only, no I/O).
 */
import { createHash } from "node:crypto";
import type { ReleaseSpec } from "./port-types.ts";

/** JSON with object keys sorted at every level (arrays keep their order: it is meaningful). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/**
 * First 16 hex characters of sha256 over the canonical spec, without the fields the engine
 * can change on a running container (resources, restart policy): those are updated in place,
 * everything else needs a new container.
 */
export function specHash(spec: ReleaseSpec): string {
  const { resources: _resources, restartPolicy: _restartPolicy, ...recreate } = spec;
  return createHash("sha256").update(canonicalJson(recreate)).digest("hex").slice(0, 16);
}
