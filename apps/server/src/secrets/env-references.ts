/**
 * Reference variables: a value may contain `${{service.NAME}}`, the variable NAME of another
 * service of the same project (its own value, or the project's shared one), resolved at each
 * deploy (Railway's syntax). A referenced value may itself hold references; a cycle is an error.
 * Written by hand: the grammar is one regular expression, and no library resolves references
 * across Berth's own services. PURE.
 */
import { isValidEnvName, isValidServiceName } from "@berth/engine";

const REFERENCE = /\$\{\{([^}]*)\}\}/g;

export interface Reference {
  /** The text as written, e.g. `${{db.PASSWORD}}`. */
  raw: string;
  service: string;
  name: string;
}

/** The references in a value, or the first malformed one explained. */
export function referencesIn(value: string): { references: Reference[] } | { error: string } {
  const references: Reference[] = [];
  for (const match of value.matchAll(REFERENCE)) {
    const raw = match[0];
    const inner = (match[1] ?? "").trim();
    const dot = inner.indexOf(".");
    const service = dot < 0 ? "" : inner.slice(0, dot);
    const name = dot < 0 ? "" : inner.slice(dot + 1);
    if (!isValidServiceName(service) || !isValidEnvName(name)) {
      return { error: `${raw} is not a reference: write \${{service.NAME}}, e.g. \${{db.POSTGRES_PASSWORD}}` };
    }
    references.push({ raw, service, name });
  }
  const unclosed = value.replace(REFERENCE, "").indexOf("${{");
  if (unclosed >= 0) return { error: `A reference opened with \${{ is not closed with }}` };
  return { references };
}

export function hasReferences(value: string): boolean {
  return value.includes("${{");
}

/** A variable a reference can point at. */
export interface ReferencedVariable {
  value: string;
  secret: boolean;
}

/** Finds service.NAME in the project: the variable, or why there is none. */
export type ReferenceLookup = (service: string, name: string) => ReferencedVariable | { missing: string };

export interface Resolved {
  value: string;
  /** Secret values the result took in (to redact wherever the result may show). */
  secrets: string[];
  /** Why a reference could not be resolved (it is then left as written). */
  problems: string[];
}

/** Replace every reference in `value`, recursively; `path` is the chain being resolved (cycles). */
export function resolveReferences(value: string, lookup: ReferenceLookup, path: string[] = []): Resolved {
  const parsed = referencesIn(value);
  if ("error" in parsed) return { value, secrets: [], problems: [parsed.error] };
  const out: Resolved = { value, secrets: [], problems: [] };
  for (const ref of parsed.references) {
    const key = `${ref.service}.${ref.name}`;
    if (path.includes(key)) {
      out.problems.push(`${[...path, key].join(" -> ")} is a cycle`);
      continue;
    }
    const found = lookup(ref.service, ref.name);
    if ("missing" in found) {
      out.problems.push(`${ref.raw}: ${found.missing}`);
      continue;
    }
    const inner = resolveReferences(found.value, lookup, [...path, key]);
    out.problems.push(...inner.problems);
    out.secrets.push(...inner.secrets);
    if (found.secret) out.secrets.push(inner.value);
    out.value = out.value.split(ref.raw).join(inner.value);
  }
  return out;
}
