/**
 * Validation against the official Compose Specification JSON schema.
 *
 * compose-spec.json is schema/compose-spec.json of https://github.com/compose-spec/compose-spec
 * at commit 00655e2222608fa6eaecdf12ac5195889ca2244a (Apache License 2.0, Copyright The Compose
 * Specification Authors), with its "description" texts removed; every rule is as published.
 * Refresh it from that path when the spec moves on.
 */
import Ajv, { type ErrorObject } from "ajv";
import composeSpec from "./compose-spec.json" with { type: "json" };
import type { StackIssue } from "./stack-issues.ts";

// strict: false -- the schema uses `deprecated` and draft-07's https $schema URL, both harmless.
const ajv = new Ajv({ allErrors: true, strict: false });
const { $schema: _ignored, ...schema } = composeSpec as Record<string, unknown>;
const validate = ajv.compile(schema);

/** Problems of a compose document against the schema, each at its service and key. PURE. */
export function schemaIssues(doc: unknown): StackIssue[] {
  if (validate(doc)) return [];
  return readableErrors(validate.errors ?? []);
}

function readableErrors(errors: ErrorObject[]): StackIssue[] {
  // oneOf branches each report their own failure; the "must match exactly one schema" summary
  // and the failures of a branch of another type say nothing to the person, drop them when a
  // more specific error exists at or under the same place.
  const specific = errors.filter((e) => e.keyword !== "oneOf" && e.keyword !== "type");
  const chosen = specific.length > 0 ? specific : errors;
  const seen = new Set<string>();
  const issues: StackIssue[] = [];
  for (const e of chosen) {
    const parts = e.instancePath
      .split("/")
      .slice(1)
      .map((p) => p.replaceAll("~1", "/").replaceAll("~0", "~"));
    const service = parts[0] === "services" && parts[1] !== undefined ? parts[1] : null;
    const keyParts = service !== null ? parts.slice(2) : parts;
    let message: string;
    if (e.keyword === "additionalProperties") {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      keyParts.push(extra);
      message = `${extra} is not a compose key here`;
    } else if (e.keyword === "enum") {
      message = `must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).join(", ")}`;
    } else {
      message = e.message ?? "is not valid";
    }
    const key = keyParts.join(".") || (service === null ? "(file)" : "(service)");
    const id = `${service}|${key}|${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    issues.push({ service, key, message });
  }
  return issues;
}
