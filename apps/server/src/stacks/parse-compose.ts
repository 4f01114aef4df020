/**
 * Text -> compose document: YAML (the `yaml` package, with merge keys `<<:` as compose files
 * use them), variable interpolation from the variables the user gives with the file, the
 * official schema, then profiles. PURE.
 */
import { parseDocument, type YAMLError } from "yaml";
import { interpolateTree } from "./interpolate.ts";
import { schemaIssues } from "./compose-schema.ts";
import type { StackIssue } from "./stack-issues.ts";

export const MAX_COMPOSE_BYTES = 256 * 1024;

export type ComposeService = Record<string, unknown>;

export interface ComposeDocument {
  name: string | null;
  /** Services in file order, without those whose profiles are not enabled. */
  services: [string, ComposeService][];
  /** The same services before interpolation (to tell which values came from variables). */
  rawServices: Record<string, ComposeService>;
  volumes: Record<string, Record<string, unknown> | null>;
  networks: Record<string, Record<string, unknown> | null>;
  /** Top-level keys other than services/volumes/networks/name/version/x-*. */
  otherTopLevel: string[];
  /** Services left out because none of their profiles is enabled. */
  skippedByProfile: string[];
}

export type ParseResult =
  { ok: true; doc: ComposeDocument; warnings: StackIssue[] } | { ok: false; errors: StackIssue[]; warnings: StackIssue[] };

export function parseCompose(text: string, variables: Readonly<Record<string, string>>, profiles: readonly string[] = []): ParseResult {
  const warnings: StackIssue[] = [];
  if (Buffer.byteLength(text) > MAX_COMPOSE_BYTES)
    return {
      ok: false,
      errors: [{ service: null, key: "(file)", message: `The file is larger than ${MAX_COMPOSE_BYTES / 1024} KiB` }],
      warnings,
    };
  // maxAliasCount bounds "billion laughs" alias expansion.
  const yamlDoc = parseDocument(text, { merge: true, uniqueKeys: true, prettyErrors: true });
  if (yamlDoc.errors.length > 0) return { ok: false, errors: [firstYamlError(yamlDoc.errors)], warnings };
  let raw: unknown;
  try {
    raw = yamlDoc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    return { ok: false, errors: [{ service: null, key: "(yaml)", message: (err as Error).message }], warnings };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { ok: false, errors: [{ service: null, key: "(file)", message: "A compose file is a mapping with a services: key" }], warnings };
  const interpolated = interpolateTree(raw, variables);
  if (interpolated.errors.length > 0) return { ok: false, errors: onePerProblem(interpolated.errors), warnings };
  for (const name of interpolated.missing)
    warnings.push({ service: null, key: "(variables)", message: `${name} is not set: an empty string is used` });
  const doc = interpolated.value as Record<string, unknown>;
  const invalid = schemaIssues(doc);
  if (invalid.length > 0) return { ok: false, errors: invalid, warnings };
  const services = (doc.services ?? {}) as Record<string, ComposeService>;
  if (Object.keys(services).length === 0)
    return { ok: false, errors: [{ service: null, key: "services", message: "The file defines no services" }], warnings };
  const enabled = new Set(profiles);
  const kept: [string, ComposeService][] = [];
  const skipped: string[] = [];
  for (const [name, svc] of Object.entries(services)) {
    const own = (svc.profiles ?? []) as string[];
    if (own.length === 0 || own.some((p) => enabled.has(p))) kept.push([name, svc]);
    else skipped.push(name);
  }
  if (kept.length === 0)
    return {
      ok: false,
      errors: [{ service: null, key: "profiles", message: "Every service has a profile that is not enabled: enable one of them" }],
      warnings,
    };
  if (doc.version !== undefined)
    warnings.push({ service: null, key: "version", message: "Ignored (obsolete in the compose specification)" });
  const known = new Set(["services", "volumes", "networks", "name", "version"]);
  return {
    ok: true,
    warnings,
    doc: {
      name: typeof doc.name === "string" ? doc.name : null,
      services: kept,
      rawServices: ((raw as Record<string, unknown>).services ?? {}) as Record<string, ComposeService>,
      volumes: (doc.volumes ?? {}) as ComposeDocument["volumes"],
      networks: (doc.networks ?? {}) as ComposeDocument["networks"],
      otherTopLevel: Object.keys(doc).filter((k) => !known.has(k) && !k.startsWith("x-")),
      skippedByProfile: skipped,
    },
  };
}

function issueAt(path: string[], message: string): StackIssue {
  if (path[0] === "services" && path[1] !== undefined) return { service: path[1], key: path.slice(2).join(".") || "(service)", message };
  return { service: null, key: path.join(".") || "(file)", message };
}

/**
 * One issue per interpolation problem (a required variable used in ten places is one error),
 * at its first use by a service -- not in an `x-` block YAML anchors copy from -- saying how
 * many other places use it.
 */
function onePerProblem(errors: { path: string[]; message: string }[]): StackIssue[] {
  const byMessage = new Map<string, { path: string[]; message: string }[]>();
  for (const e of errors) byMessage.set(e.message, [...(byMessage.get(e.message) ?? []), e]);
  return [...byMessage.values()].map((all) => {
    const first = all.find((e) => e.path[0] === "services") ?? all[0]!;
    const others = all.length - 1;
    return issueAt(
      first.path,
      others === 0 ? first.message : `${first.message} (used in ${others} other place${others === 1 ? "" : "s"} too)`,
    );
  });
}

/**
 * The first YAML error, as "Line 3, column 1: Tabs are not allowed as indentation": the ones
 * after it mostly follow from it (one bad indent gives six), and the parser's code frame does
 * not survive a one-line message.
 */
function firstYamlError(errors: readonly YAMLError[]): StackIssue {
  const first = errors[0]!;
  const what = first.message.replace(/ at line \d+, column \d+:[\s\S]*$/, "").trim();
  const at = first.linePos?.[0];
  const more =
    errors.length > 1 ? ` (fix it first: ${errors.length - 1} more problem${errors.length === 2 ? "" : "s"} may follow from it)` : "";
  return { service: null, key: "(yaml)", message: `${at ? `Line ${at.line}, column ${at.col}: ` : ""}${what}${more}` };
}
