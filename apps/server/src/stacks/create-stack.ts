/**
 * Create a stack from a compose file: every service of the file becomes a Berth service (the
 * same rows a single service has), linked to the stack with its dependencies, in ONE
 * transaction; a refused file creates nothing and lists every problem with its service and key.
 */
import type { Prisma } from "@berth/db";
import { DomainError } from "../errors.ts";
import type { Deps } from "../deps.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { getSettings } from "../instance/settings.ts";
import { sealedBoxOf } from "../secrets/sealed-box.ts";
import { writeEnvVars } from "../secrets/env-store.ts";
import { insertService } from "../services/services.ts";
import { createServiceInput, type CreateServiceInput } from "../services/service-input.ts";
import { assertImageUsable } from "../services/image-ownership.ts";
import { checkHostPaths } from "../volumes/service-volumes.ts";
import { ensureDefaultDomain } from "../domains/domains.ts";
import { publicIpOf } from "../domains/dns-check.ts";
import { type Actor, loadProject } from "../teams/access.ts";
import { importCompose } from "./import-compose.ts";
import type { MappedService } from "./map-service.ts";
import { issueLine, type StackIssue } from "./stack-issues.ts";
import type { CreateStackInput } from "./stack-input.ts";
import { deployStack } from "./deploy-stack.ts";

/** One error listing every problem; fieldErrors keyed `compose.<service>.<key>` (file level: `compose.<key>`). */
export function refusal(issues: StackIssue[]): DomainError {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.service === null ? `compose.${issue.key}` : `compose.${issue.service}.${issue.key}`;
    fieldErrors[field] = fieldErrors[field] ? `${fieldErrors[field]}; ${issue.message}` : issue.message;
  }
  const lines = issues.map(issueLine);
  return new DomainError("INVALID", `The compose file cannot be imported (${issues.length} problem${issues.length === 1 ? "" : "s"}):\n${lines.join("\n")}`, fieldErrors);
}

type CreateDeps = Pick<Deps, "db" | "env" | "wakeWorker" | "events">;

export async function createStack(deps: CreateDeps, actor: Actor, input: CreateStackInput) {
  const { project } = await loadProject(deps.db, actor, input.projectId, "member");
  const { allowBindMounts } = await getSettings(deps.db);
  const variables = Object.fromEntries(input.variables.map((v) => [v.key, v.value]));
  const plan = importCompose(input.compose, { variables, profiles: input.profiles, allowBindMounts });
  if (!plan.ok) throw refusal(plan.errors);

  const services = plan.services.map((m) => ({ mapped: m, input: createServiceInput.parse({ ...m.fields, projectId: input.projectId, deploy: false }) }));
  await checkBeforeWriting(deps, { teamId: project.teamId, projectId: input.projectId, allowBindMounts }, services);

  const box = sealedBoxOf(deps.env);
  let stack: { id: string; serviceIds: { id: string; name: string; kind: string }[] };
  try {
    stack = await deps.db.$transaction(async (tx) => {
      const row = await tx.stack.create({ data: { projectId: input.projectId, name: input.name, compose: input.compose, variables: box.seal(JSON.stringify(variables)), profiles: input.profiles }, select: { id: true } });
      const serviceIds: { id: string; name: string; kind: string }[] = [];
      for (const [position, { mapped, input: serviceInput }] of services.entries()) {
        const created = await insertWithContext(() => insertService(tx, serviceInput), mapped.fields.name);
        const env = serviceInput.env.map((e) => ({ name: e.key, value: e.value, secret: mapped.secretEnv.includes(e.key), buildTime: false, runtime: true }));
        await writeEnvVars(tx, box, { projectId: input.projectId, serviceId: created.id }, env);
        await tx.stackService.create({ data: { stackId: row.id, serviceId: created.id, position, dependsOn: mapped.dependsOn as unknown as Prisma.InputJsonValue, labels: mapped.labels } });
        serviceIds.push({ id: created.id, name: serviceInput.name, kind: serviceInput.kind });
      }
      return { id: row.id, serviceIds };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError("INVALID", `A stack named "${input.name}" already exists in this project`, { name: `A stack named "${input.name}" already exists in this project` });
    throw err;
  }
  for (const s of stack.serviceIds) if (s.kind === "web") await ensureDefaultDomain(deps.db, s.id, publicIpOf(deps.env));
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    targetType: "stack",
    targetId: stack.id,
    action: "stack.create",
    // Names only: variable values may be secrets.
    detail: { name: input.name, services: stack.serviceIds.map((s) => s.name), variables: input.variables.map((v) => v.key), warnings: plan.warnings.length },
  });
  if (input.deploy) await deployStack(deps, actor, stack.id);
  return { id: stack.id, services: stack.serviceIds.map(({ id, name }) => ({ id, name })), warnings: plan.warnings };
}

/** What the database would refuse, found first so the error names the compose service and key. */
async function checkBeforeWriting(deps: CreateDeps, where: { teamId: string; projectId: string; allowBindMounts: boolean }, services: { mapped: MappedService; input: CreateServiceInput }[]): Promise<void> {
  const { teamId, projectId, allowBindMounts } = where;
  const issues: StackIssue[] = [];
  const names = services.map((s) => s.input.name);
  const taken = await deps.db.service.findMany({ where: { projectId, name: { in: names } }, select: { name: true } });
  for (const t of taken) issues.push({ service: t.name, key: "(name)", message: `A service named "${t.name}" already exists in this project` });
  for (const { input } of services) {
    for (const [check, key] of [[() => checkHostPaths(input.volumes, allowBindMounts), "volumes"], [() => assertImageUsable(deps.db, { serviceId: null, teamId }, input.image), "image"]] as const) {
      try {
        await check();
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        issues.push({ service: input.name, key, message: err.message });
      }
    }
  }
  if (issues.length > 0) throw refusal(issues);
}

/** A field error of one service's rows (e.g. its volume name is taken), reported at that service. */
async function insertWithContext<T>(insert: () => Promise<T>, service: string): Promise<T> {
  try {
    return await insert();
  } catch (err) {
    if (err instanceof DomainError && err.fieldErrors) {
      const [field] = Object.keys(err.fieldErrors);
      throw refusal([{ service, key: field ?? "(service)", message: err.message }]);
    }
    throw err;
  }
}
