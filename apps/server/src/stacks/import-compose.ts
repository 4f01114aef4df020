/**
 * A compose file -> the plan of a stack: its services as Berth service inputs, in dependency
 * order, with every warning; or every error at once (one clear list, nothing created). PURE.
 */
import { parseCompose } from "./parse-compose.ts";
import { asJob, mapService } from "./map-service.ts";
import type { MappedService } from "./service-fields.ts";
import { dependencyOrder } from "./dependency-order.ts";
import type { StackIssue } from "./stack-issues.ts";
import { berthFieldIssues } from "./berth-fields.ts";
import type { ComposeRepo } from "./compose-repo.ts";
import { projectDotenv } from "./map-repo-keys.ts";
import { berthNames } from "./compose-names.ts";

export interface ImportOptions {
  variables?: Readonly<Record<string, string>>;
  profiles?: readonly string[];
  allowBindMounts?: boolean;
  /** The instance owner allows compose keys with power over the host. */
  allowHostAccess?: boolean;
  /** A git-sourced stack's repository (build contexts, env_file, the `.env` beside the file). */
  repo?: ComposeRepo | null;
}

export interface StackPlan {
  /** The file's `name:`, if any. */
  name: string | null;
  /** In dependency order. */
  services: MappedService[];
  warnings: StackIssue[];
}

export type ImportResult = ({ ok: true } & StackPlan) | { ok: false; errors: StackIssue[]; warnings: StackIssue[] };

const TOP_LEVEL_UNSUPPORTED: Record<string, string> = {
  secrets: "Not supported: give secrets as stack variables (they are stored sealed) and use them in environment:",
  configs: "Not supported: a pasted stack has no files to mount",
  include: "Not supported: a pasted stack is one file",
  models: "Not supported by Berth",
};

export function importCompose(text: string, options: ImportOptions = {}): ImportResult {
  const repo = options.repo ?? null;
  // The `.env` beside the compose file gives defaults; the user's variables win (compose: the shell's).
  const dotenv = projectDotenv(repo);
  if ("error" in dotenv) return { ok: false, errors: [{ service: null, key: ".env", message: dotenv.error }], warnings: [] };
  const variables = { ...dotenv.vars, ...(options.variables ?? {}) };
  const parsed = parseCompose(text, variables, options.profiles ?? []);
  if (!parsed.ok) return parsed;
  const { doc } = parsed;
  const warnings = [...parsed.warnings];
  const errors: StackIssue[] = [];
  for (const key of doc.otherTopLevel) errors.push({ service: null, key, message: TOP_LEVEL_UNSUPPORTED[key] ?? "Not supported by Berth" });
  for (const [name, volume] of Object.entries(doc.volumes)) {
    for (const [key, value] of Object.entries(volume ?? {})) {
      // `driver: local` is what every Berth volume is (and what many files spell out).
      if (key === "driver" && value === "local") continue;
      if (key === "labels" || key === "name" || key.startsWith("x-"))
        warnings.push({ service: null, key: `volumes.${name}.${key}`, message: "Ignored: Berth names and labels its volumes" });
      else errors.push({ service: null, key: `volumes.${name}.${key}`, message: "Not supported: Berth volumes are local named volumes" });
    }
  }
  for (const [name, network] of Object.entries(doc.networks)) {
    if (network && Object.keys(network).length > 0)
      warnings.push({
        service: null,
        key: `networks.${name}`,
        message: "Ignored: every service of the project shares the project's network",
      });
  }
  for (const skipped of doc.skippedByProfile)
    warnings.push({ service: skipped, key: "profiles", message: "Left out: none of its profiles is enabled" });

  const serviceNames = new Set(doc.services.map(([n]) => n));
  const ctx = {
    allowBindMounts: options.allowBindMounts ?? false,
    allowHostAccess: options.allowHostAccess ?? false,
    variables,
    volumes: doc.volumes,
    serviceNames,
    berthNames: berthNames([...serviceNames]),
    skippedByProfile: new Set(doc.skippedByProfile),
    repo,
  };
  const mapped: MappedService[] = [];
  const volumeOwners = new Map<string, string>();
  for (const [name, svc] of doc.services) {
    const r = mapService(name, svc, doc.rawServices[name], ctx);
    errors.push(...r.errors);
    warnings.push(...r.warnings);
    if (!r.mapped) continue;
    const invalid = berthFieldIssues(r.mapped.fields);
    errors.push(...invalid);
    if (invalid.length > 0) continue;
    mapped.push(r.mapped);
    r.mapped.fields.volumes.forEach((v, i) => {
      const owner = volumeOwners.get(v.name);
      if (owner !== undefined && owner !== name)
        errors.push({
          service: name,
          key: `volumes.${i}`,
          message: `The volume ${v.name} is also mounted by ${owner}: a Berth volume belongs to one service`,
        });
      volumeOwners.set(v.name, name);
    });
  }
  if (errors.length > 0) return { ok: false, errors, warnings };
  const jobs = new Set(
    mapped.flatMap((m) => m.dependsOn.filter((d) => d.condition === "service_completed_successfully").map((d) => d.service)),
  );
  mapped.forEach((m, i) => {
    const name = m.fields.name;
    if (jobs.has(name)) mapped[i] = asJob(m, (key, message) => warnings.push({ service: name, key, message }));
  });
  const ordered = dependencyOrder(mapped.map((m) => ({ name: m.fields.name, dependsOn: m.dependsOn })));
  if ("cycle" in ordered)
    return {
      ok: false,
      errors: [{ service: ordered.cycle[0]!, key: "depends_on", message: `A dependency cycle: ${ordered.cycle.join(" -> ")}` }],
      warnings,
    };
  const byName = new Map(mapped.map((m) => [m.fields.name, m]));
  return { ok: true, name: doc.name, services: ordered.order.map((n) => byName.get(n)!), warnings };
}
