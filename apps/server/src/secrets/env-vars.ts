import type { Deps } from "../deps.ts";
import { DomainError, invalidField, notFound } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { type Actor, loadProject, loadService } from "../teams/access.ts";
import { parseDotenv } from "./dotenv.ts";
import { hasReferences, referencesIn } from "./env-references.ts";
import type { EnvVarInput, ImportDotenvInput, SetEnvVarInput } from "./env-input.ts";
import { deleteEnvVar, type EnvScope, envVarView, listEnvRows, replaceEnvVars, upsertEnvVars } from "./env-store.ts";

type EnvDeps = Pick<Deps, "db" | "env" | "box">;
/** A service's own variables, its preview overrides (`previews`), or a project's shared ones. */
export type EnvTarget = { serviceId: string; previews?: boolean } | { projectId: string };

async function scopeOf(deps: EnvDeps, actor: Actor, target: EnvTarget, min: "viewer" | "member" | "admin") {
  if ("serviceId" in target) {
    const { service } = await loadService(deps.db, actor, target.serviceId, min);
    return {
      scope: { projectId: service.project.id, serviceId: service.id, previews: target.previews === true } as EnvScope,
      teamId: service.project.teamId,
    };
  }
  const { project } = await loadProject(deps.db, actor, target.projectId, min);
  return { scope: { projectId: project.id, serviceId: null } as EnvScope, teamId: project.teamId };
}

/** A service's own variables, or a project's shared ones; secret values are never included. */
export async function listEnv(deps: EnvDeps, actor: Actor, target: EnvTarget) {
  const { scope } = await scopeOf(deps, actor, target, "viewer");
  const box = deps.box;
  return (await listEnvRows(deps.db, scope)).map((row) => envVarView(row, box));
}

/**
 * Every `${{service.NAME}}` in the values is well formed and names a service of the project
 * (its variable may come later: it is checked at each deploy). Refused at the value's field.
 */
async function checkReferences(deps: EnvDeps, projectId: string, values: { value?: string; field: string }[]): Promise<void> {
  const withRefs = values.filter((v): v is { value: string; field: string } => v.value !== undefined && hasReferences(v.value));
  if (withRefs.length === 0) return;
  const names = new Set((await deps.db.service.findMany({ where: { projectId }, select: { name: true } })).map((s) => s.name));
  for (const { value, field } of withRefs) {
    const parsed = referencesIn(value);
    if ("error" in parsed) throw invalidField(field, parsed.error);
    const unknown = parsed.references.find((r) => !names.has(r.service));
    if (unknown) throw invalidField(field, `${unknown.raw}: the project has no service named ${unknown.service}`);
  }
}

export async function saveEnv(deps: EnvDeps, actor: Actor, target: EnvTarget, vars: EnvVarInput[]) {
  const { scope, teamId } = await scopeOf(deps, actor, target, "member");
  await checkReferences(
    deps,
    scope.projectId,
    vars.map((v, i) => ({ value: v.value, field: `vars.${i}.value` })),
  );
  const { set, removed } = await replaceEnvVars(deps.db, deps.box, scope, vars);
  const audit = { teamId, targetType: scope.serviceId ? "service" : "project", targetId: scope.serviceId ?? scope.projectId };
  if (set.length > 0) await recordAudit(deps.db, actor, { ...audit, action: "env.set", detail: { names: set } });
  if (removed.length > 0) await recordAudit(deps.db, actor, { ...audit, action: "env.delete", detail: { names: removed } });
  return { ok: true as const };
}

/** Import .env text: every line must parse, or nothing is written (errors name the lines). */
export async function importDotenv(deps: EnvDeps, actor: Actor, target: EnvTarget, input: ImportDotenvInput) {
  const { scope, teamId } = await scopeOf(deps, actor, target, "member");
  const parsed = parseDotenv(input.text);
  if ("errors" in parsed) throw new DomainError("INVALID", parsed.errors.join("; "), { text: parsed.errors.slice(0, 5).join("\n") });
  if (parsed.entries.length === 0) throw new DomainError("INVALID", "No variables in this text", { text: "No NAME=value lines found" });
  if (!input.buildTime && !input.runtime)
    throw new DomainError("INVALID", "Use them at build time, at run time, or both", {
      runtime: "Use them at build time, at run time, or both",
    });
  await checkReferences(
    deps,
    scope.projectId,
    parsed.entries.map((e) => ({ value: e.value, field: "text" })),
  );
  const flags = { secret: input.secret, buildTime: input.buildTime, runtime: input.runtime };
  await upsertEnvVars(
    deps.db,
    deps.box,
    scope,
    parsed.entries.map((e) => ({ ...e, ...flags })),
  );
  const names = parsed.entries.map((e) => e.name);
  await recordAudit(deps.db, actor, {
    teamId,
    action: "env.set",
    targetType: scope.serviceId ? "service" : "project",
    targetId: scope.serviceId ?? scope.projectId,
    detail: { names, via: "import" },
  });
  return { imported: names.length };
}

/** Set one variable by name (added or overwritten), leaving the others alone: `berth env set` and PUT .../env/{name}. */
export async function setEnvVar(deps: EnvDeps, actor: Actor, target: EnvTarget, input: SetEnvVarInput) {
  const { scope, teamId } = await scopeOf(deps, actor, target, "member");
  await checkReferences(deps, scope.projectId, [{ value: input.value, field: "value" }]);
  await upsertEnvVars(deps.db, deps.box, scope, [input]);
  await recordAudit(deps.db, actor, {
    teamId,
    action: "env.set",
    targetType: scope.serviceId ? "service" : "project",
    targetId: scope.serviceId ?? scope.projectId,
    detail: { names: [input.name] },
  });
  return { name: input.name };
}

/** Remove one variable by name; an unknown name is NOT_FOUND (a typo should not pass silently). */
export async function unsetEnvVar(deps: EnvDeps, actor: Actor, target: EnvTarget, name: string) {
  const { scope, teamId } = await scopeOf(deps, actor, target, "member");
  if (!(await deleteEnvVar(deps.db, scope, name))) throw notFound(`Variable ${name}`);
  await recordAudit(deps.db, actor, {
    teamId,
    action: "env.delete",
    targetType: scope.serviceId ? "service" : "project",
    targetId: scope.serviceId ?? scope.projectId,
    detail: { names: [name] },
  });
  return { name };
}

/** Show a secret's value: team admins only, and every reveal is in the audit log. */
export async function revealEnv(deps: EnvDeps, actor: Actor, projectId: string, envVarId: string) {
  const { project } = await loadProject(deps.db, actor, projectId, "admin");
  const row = await deps.db.envVar.findFirst({ where: { id: envVarId, projectId: project.id } });
  if (!row) throw notFound("Variable");
  const value = deps.box.open(row.value);
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    action: "env.reveal",
    targetType: row.serviceId ? "service" : "project",
    targetId: row.serviceId ?? project.id,
    detail: { name: row.name },
  });
  return { name: row.name, value };
}
