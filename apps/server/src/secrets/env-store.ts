import type { Db, EnvVar, Prisma } from "@berth/db";
import { invalidField } from "../errors.ts";
import type { EnvVarInput } from "./env-input.ts";
import { hasReferences, resolveReferences, type ReferenceLookup } from "./env-references.ts";
import type { SealedBox } from "./sealed-box.ts";

/**
 * A service's own variables, or (serviceId null) those shared by the project's services, or
 * (`previews`) the service's preview-only overrides, which its preview deployments see on top of its own.
 */
export interface EnvScope {
  projectId: string;
  serviceId: string | null;
  previews?: boolean;
}

export const previewScopeKey = (serviceId: string): string => `preview:${serviceId}`;
export const scopeKeyOf = (scope: EnvScope): string =>
  scope.serviceId === null ? "project" : scope.previews ? previewScopeKey(scope.serviceId) : scope.serviceId;

/**
 * The scope keys a service's variables come from, weakest first: the project's shared ones, then
 * its own. A preview's hidden service sees the previewed service's own variables, then the
 * preview overrides, then its own (none are written today).
 */
export async function envLayers(db: Db, serviceId: string): Promise<string[]> {
  const row = await db.service.findUnique({ where: { id: serviceId }, select: { previewOfId: true } });
  const parent = row?.previewOfId ?? null;
  return parent === null ? ["project", serviceId] : ["project", parent, previewScopeKey(parent), serviceId];
}

/** What the API shows of a variable: a secret's value never. */
export function envVarView(row: EnvVar, box: SealedBox) {
  return {
    id: row.id,
    name: row.name,
    secret: row.secret,
    buildTime: row.buildTime,
    runtime: row.runtime,
    value: row.secret ? null : box.open(row.value),
    updatedAt: row.updatedAt,
  };
}

export function listEnvRows(db: Db, scope: EnvScope): Promise<EnvVar[]> {
  return db.envVar.findMany({ where: { projectId: scope.projectId, scopeKey: scopeKeyOf(scope) }, orderBy: { name: "asc" } });
}

/**
 * Make the scope's variables exactly `vars` (one transaction). A variable sent without a value
 * keeps its saved value (a secret the editor cannot show); a new one without a value is refused.
 * Returns the names added/changed and removed (for the audit log: names only).
 */
export async function replaceEnvVars(
  db: Db,
  box: SealedBox,
  scope: EnvScope,
  vars: EnvVarInput[],
): Promise<{ set: string[]; removed: string[] }> {
  const scopeKey = scopeKeyOf(scope);
  return db.$transaction(async (tx) => {
    const existing = new Map((await tx.envVar.findMany({ where: { projectId: scope.projectId, scopeKey } })).map((r) => [r.name, r]));
    vars.forEach((v, index) => {
      if (v.value === undefined && !existing.has(v.name)) throw invalidField(`vars.${index}.value`, `Enter a value for ${v.name}`);
    });
    const removed = [...existing.keys()].filter((name) => !vars.some((v) => v.name === name));
    await tx.envVar.deleteMany({ where: { projectId: scope.projectId, scopeKey, name: { in: removed } } });
    for (const v of vars) {
      const flags = { secret: v.secret, buildTime: v.buildTime, runtime: v.runtime };
      const value = v.value === undefined ? undefined : box.seal(v.value);
      await tx.envVar.upsert({
        where: { projectId_scopeKey_name: { projectId: scope.projectId, scopeKey, name: v.name } },
        create: { projectId: scope.projectId, serviceId: scope.serviceId, scopeKey, name: v.name, value: value ?? "", ...flags },
        update: { ...flags, ...(value === undefined ? {} : { value }) },
      });
    }
    return { set: vars.map((v) => v.name), removed };
  });
}

/** Add or overwrite variables by name (a .env import), leaving the others alone. */
export async function upsertEnvVars(db: Db, box: SealedBox, scope: EnvScope, vars: Required<EnvVarInput>[]): Promise<void> {
  await db.$transaction((tx) => writeEnvVars(tx, box, scope, vars));
}

/** upsertEnvVars inside the caller's transaction. */
export async function writeEnvVars(
  tx: Prisma.TransactionClient,
  box: SealedBox,
  scope: EnvScope,
  vars: Required<EnvVarInput>[],
): Promise<void> {
  const scopeKey = scopeKeyOf(scope);
  for (const v of vars) {
    const data = { value: box.seal(v.value), secret: v.secret, buildTime: v.buildTime, runtime: v.runtime };
    await tx.envVar.upsert({
      where: { projectId_scopeKey_name: { projectId: scope.projectId, scopeKey, name: v.name } },
      create: { projectId: scope.projectId, serviceId: scope.serviceId, scopeKey, name: v.name, ...data },
      update: data,
    });
  }
}

/** Remove one variable of the scope by name; false if there was none. */
export async function deleteEnvVar(db: Db, scope: EnvScope, name: string): Promise<boolean> {
  const { count } = await db.envVar.deleteMany({ where: { projectId: scope.projectId, scopeKey: scopeKeyOf(scope), name } });
  return count > 0;
}

/** Everything a deployment of a service needs from its variables (project-shared first, the service's own win). */
export interface DeployEnv {
  /** Passed to the running container (Engine API Env: never a process argument). */
  runtime: Record<string, string>;
  /** Non-secret build-time variables: build args. */
  buildArgs: Record<string, string>;
  /** Secret build-time variables (id -> value for `RUN --mount=type=secret,id=<id>`): BuildKit secret mounts, never build args. */
  buildSecrets: Record<string, string>;
  /** Every secret value of the service (to redact from logs), those taken in by references included. */
  secretValues: string[];
  /** References that could not be resolved (left as written): a deploy refuses to start with any. */
  problems: string[];
}

export async function resolveDeployEnv(db: Db, box: SealedBox, scope: { projectId: string; serviceId: string }): Promise<DeployEnv> {
  // Side by side: the project's variables (a few rows per service) and which layers apply,
  // one round trip's wait before every deploy instead of two; mergeScopes keeps the layers' own.
  const [layers, rows] = await Promise.all([envLayers(db, scope.serviceId), db.envVar.findMany({ where: { projectId: scope.projectId } })]);
  const merged = mergeScopes(rows, box, layers);
  const lookup = [...merged.values()].some((v) => hasReferences(v.value)) ? await projectLookup(db, box, scope, rows) : null;
  const out: DeployEnv = { runtime: {}, buildArgs: {}, buildSecrets: {}, secretValues: [], problems: [] };
  for (const [name, { value: written, secret, row }] of merged) {
    const resolved = lookup
      ? resolveReferences(written, lookup, [`${lookup.self}.${name}`])
      : { value: written, secrets: [], problems: [] };
    const value = resolved.value;
    out.problems.push(...resolved.problems.map((p) => `${name}: ${p}`));
    out.secretValues.push(...resolved.secrets);
    if (row.runtime) out.runtime[name] = value;
    if (row.buildTime) (secret ? out.buildSecrets : out.buildArgs)[name] = value;
    if (secret) out.secretValues.push(value);
  }
  return out;
}

/** A service's variables by name: each layer (envLayers, weakest first) overridden by the next. */
function mergeScopes(rows: EnvVar[], box: SealedBox, layers: string[]): Map<string, { value: string; secret: boolean; row: EnvVar }> {
  const sorted = rows.filter((r) => layers.includes(r.scopeKey));
  sorted.sort((a, b) => layers.indexOf(a.scopeKey) - layers.indexOf(b.scopeKey));
  const merged = new Map<string, { value: string; secret: boolean; row: EnvVar }>();
  for (const row of sorted) merged.set(row.name, { value: box.open(row.value), secret: row.secret, row });
  return merged;
}

/** Resolves `${{service.NAME}}` against every service of the project (`rows`: all the project's variables). */
async function projectLookup(
  db: Db,
  box: SealedBox,
  { projectId, serviceId }: { projectId: string; serviceId: string },
  rows: EnvVar[],
): Promise<ReferenceLookup & { self: string }> {
  const services = await db.service.findMany({ where: { projectId }, select: { id: true, name: true } });
  const byName = new Map(services.map((s) => [s.name, s.id]));
  const cache = new Map<string, ReturnType<typeof mergeScopes>>();
  const lookup: ReferenceLookup = (service, name) => {
    const id = byName.get(service);
    if (id === undefined) return { missing: `the project has no service named ${service}` };
    let vars = cache.get(id);
    if (!vars) cache.set(id, (vars = mergeScopes(rows, box, ["project", id])));
    const found = vars.get(name);
    return found ? { value: found.value, secret: found.secret } : { missing: `${service} has no variable ${name}` };
  };
  // The service being resolved, as the start of every reference chain (a cycle back to it is caught).
  return Object.assign(lookup, { self: services.find((s) => s.id === serviceId)?.name ?? serviceId });
}

/** Secret values of a service (own + shared), for redacting its runtime logs. */
export async function secretValuesOf(db: Db, box: SealedBox, scope: { projectId: string; serviceId: string }): Promise<string[]> {
  const rows = await db.envVar.findMany({
    where: { projectId: scope.projectId, scopeKey: { in: await envLayers(db, scope.serviceId) }, secret: true },
  });
  return rows.map((r) => box.open(r.value));
}
