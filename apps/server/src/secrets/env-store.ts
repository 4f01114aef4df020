import type { Db, EnvVar } from "@berth/db";
import { invalidField } from "../errors.ts";
import type { EnvVarInput } from "./env-input.ts";
import type { SealedBox } from "./sealed-box.ts";

/** A service's own variables, or (serviceId null) those shared by the project's services. */
export interface EnvScope {
  projectId: string;
  serviceId: string | null;
}

export const scopeKeyOf = (scope: EnvScope): string => scope.serviceId ?? "project";

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
export async function replaceEnvVars(db: Db, box: SealedBox, scope: EnvScope, vars: EnvVarInput[]): Promise<{ set: string[]; removed: string[] }> {
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
  const scopeKey = scopeKeyOf(scope);
  await db.$transaction(
    vars.map((v) => {
      const data = { value: box.seal(v.value), secret: v.secret, buildTime: v.buildTime, runtime: v.runtime };
      return db.envVar.upsert({
        where: { projectId_scopeKey_name: { projectId: scope.projectId, scopeKey, name: v.name } },
        create: { projectId: scope.projectId, serviceId: scope.serviceId, scopeKey, name: v.name, ...data },
        update: data,
      });
    }),
  );
}

/** Everything a deployment of a service needs from its variables (project-shared first, the service's own win). */
export interface DeployEnv {
  /** Passed to the running container (Engine API Env: never a process argument). */
  runtime: Record<string, string>;
  /** Non-secret build-time variables: build args. */
  buildArgs: Record<string, string>;
  /** Secret build-time variables (id -> value for `RUN --mount=type=secret,id=<id>`): BuildKit secret mounts, never build args. */
  buildSecrets: Record<string, string>;
  /** Every secret value of the service (to redact from logs). */
  secretValues: string[];
}

export async function resolveDeployEnv(db: Db, box: SealedBox, scope: { projectId: string; serviceId: string }): Promise<DeployEnv> {
  const rows = await db.envVar.findMany({ where: { projectId: scope.projectId, scopeKey: { in: ["project", scope.serviceId] } } });
  // Shared first, then the service's own: a service variable overrides a shared one of the same name.
  rows.sort((a, b) => Number(a.scopeKey !== "project") - Number(b.scopeKey !== "project"));
  const merged = new Map<string, { value: string; row: EnvVar }>();
  for (const row of rows) merged.set(row.name, { value: box.open(row.value), row });
  const out: DeployEnv = { runtime: {}, buildArgs: {}, buildSecrets: {}, secretValues: [] };
  for (const [name, { value, row }] of merged) {
    if (row.runtime) out.runtime[name] = value;
    if (row.buildTime) (row.secret ? out.buildSecrets : out.buildArgs)[name] = value;
    if (row.secret) out.secretValues.push(value);
  }
  return out;
}

/** Secret values of a service (own + shared), for redacting its runtime logs. */
export async function secretValuesOf(db: Db, box: SealedBox, scope: { projectId: string; serviceId: string }): Promise<string[]> {
  const rows = await db.envVar.findMany({ where: { projectId: scope.projectId, scopeKey: { in: ["project", scope.serviceId] }, secret: true } });
  return rows.map((r) => box.open(r.value));
}
