/**
 * Re-import a stack's compose file (an edited paste, the repository's branch head, or a pushed
 * commit): services the file adds are created, changed ones updated and redeployed, unchanged
 * ones left running. Services the file no longer has are removed only when the caller names
 * them (the plan lists them first); a push never removes anything. Volumes go only when asked.
 */
import type { Stack } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { getSettings } from "../instance/settings.ts";
import { type SealedBox } from "../secrets/sealed-box.ts";
import { ensureDefaultDomain } from "../domains/domains.ts";
import { publicIpOf } from "../domains/dns-check.ts";
import { deleteService } from "../services/services.ts";
import type { Actor } from "../teams/access.ts";
import { loadStack } from "./stack-access.ts";
import type { UpdateStackInput } from "./stack-input.ts";
import { importRequest, storedOrigin, type StackOrigin } from "./stack-import-input.ts";
import { type ImportedStack, importFromGit } from "./stack-source.ts";
import { checkBeforeWriting, insertMember, membersOf, updateMember } from "./stack-members.ts";
import { deployStackServices } from "./deploy-stack.ts";
import type { StackIssue } from "./stack-issues.ts";

type UpdateDeps = Pick<Deps, "db" | "env" | "engine" | "log" | "queue" | "events" | "box">;

export interface StackChanges {
  added: string[];
  changed: string[];
  unchanged: string[];
  /** In the stack, no longer in the file. */
  removed: string[];
  warnings: StackIssue[];
}

/** The variable names a stored spec set (to remove those the file no longer sets); [] when unreadable. */
function envNamesOfSpec(box: SealedBox, sealed: string): string[] {
  try {
    const spec = JSON.parse(box.open(sealed)) as { fields?: { env?: { key: string }[] } };
    return (spec.fields?.env ?? []).map((e) => e.key);
  } catch {
    return [];
  }
}

async function diff(deps: Pick<Deps, "db" | "env" | "box">, stackId: string, imported: ImportedStack) {
  const box = deps.box;
  const rows = await deps.db.stackService.findMany({
    where: { stackId },
    orderBy: { position: "asc" },
    include: { service: { select: { id: true, name: true } } },
  });
  const byName = new Map(rows.map((r) => [r.service.name, r]));
  const names = imported.plan.services.map((m) => m.fields.name);
  const changes: StackChanges = {
    added: [],
    changed: [],
    unchanged: [],
    removed: rows.map((r) => r.service.name).filter((n) => !names.includes(n)),
    warnings: imported.plan.warnings,
  };
  for (const name of names) {
    const row = byName.get(name);
    if (!row) changes.added.push(name);
    else {
      let before = "";
      try {
        before = row.spec === "" ? "" : box.open(row.spec);
      } catch {
        // Unreadable (a rotated key): treated as changed.
      }
      (before === imported.specs.get(name) ? changes.unchanged : changes.changed).push(name);
    }
  }
  return { rows, byName, changes };
}

/** The edited file, or (none given) the stored repository's branch head; variables kept unless given. */
async function importForUpdate(deps: Pick<Deps, "db" | "env" | "box">, stack: Stack, input: UpdateStackInput) {
  const variables =
    input.variables ??
    Object.entries(JSON.parse(deps.box.open(stack.variables)) as Record<string, string>).map(([key, value]) => ({ key, value }));
  const request = { ...input, variables };
  if (input.git || input.compose.trim() !== "") return importRequest(deps, request, stack.name, stack);
  const origin = storedOrigin(stack);
  const vars = Object.fromEntries(variables.map((v) => [v.key, v.value]));
  return { imported: await importFromGit(deps, origin, null, { variables: vars, profiles: input.profiles }), origin, variables: vars };
}

/** What an edit would do, without doing it (the form shows it, and asks before removing). */
export async function planStackUpdate(
  deps: Pick<Deps, "db" | "env" | "box">,
  actor: Actor,
  input: UpdateStackInput,
): Promise<StackChanges> {
  const { stack } = await loadStack(deps.db, actor, input.stackId, "member");
  const { imported } = await importForUpdate(deps, stack, input);
  return (await diff(deps, stack.id, imported)).changes;
}

export async function updateStack(deps: UpdateDeps, actor: Actor, input: UpdateStackInput) {
  const { stack, project } = await loadStack(deps.db, actor, input.stackId, "member");
  const { imported, origin, variables } = await importForUpdate(deps, stack, input);
  const result = await applyImport(
    deps,
    { stack, teamId: project.teamId, actor },
    { imported, origin, variables, profiles: input.profiles },
    { remove: input.remove, deleteVolumes: input.deleteVolumes, deploy: input.deploy },
  );
  return result;
}

/**
 * Write an imported file over the stack. `remove`: the names the caller confirmed ("keep": a
 * push, which never removes). Deploys what was added or changed, in dependency order.
 */
export async function applyImport(
  deps: UpdateDeps,
  who: { stack: Stack; teamId: string; actor: Actor | null },
  source: { imported: ImportedStack; origin: StackOrigin; variables: Record<string, string>; profiles: string[] },
  options: { remove: string[] | "keep"; deleteVolumes: boolean; deploy: boolean },
): Promise<StackChanges> {
  const { stack, teamId, actor } = who;
  const { imported } = source;
  // The first ssh clone pins the host's key; later clones (and the services' builds) refuse any other.
  const origin = { ...source.origin, sshKnownHosts: source.origin.sshKnownHosts ?? imported.knownHosts };
  const { rows, byName, changes } = await diff(deps, stack.id, imported);
  if (options.remove !== "keep") {
    const unconfirmed = changes.removed.filter((n) => !(options.remove as string[]).includes(n));
    if (unconfirmed.length > 0) {
      const message = `The file no longer has ${unconfirmed.join(", ")}: confirm removing ${unconfirmed.length === 1 ? "it" : "them"} (volumes are kept unless you ask)`;
      throw new DomainError("INVALID", message, { remove: message });
    }
  }
  const box = deps.box;
  const members = membersOf(stack.projectId, imported, box, origin);
  const settings = await getSettings(deps.db);
  await checkBeforeWriting(
    deps,
    { teamId, projectId: stack.projectId, settings, ownIds: rows.map((r) => r.serviceId) },
    members,
    changes.added,
  );
  const where = { projectId: stack.projectId, commitSha: imported.commitSha, repository: origin };
  const created = await deps.db.$transaction(async (tx) => {
    await tx.stack.update({
      where: { id: stack.id },
      data: {
        compose: imported.compose,
        variables: box.seal(JSON.stringify(source.variables)),
        profiles: source.profiles,
        gitUrl: origin.gitUrl,
        gitBranch: origin.gitBranch,
        gitToken: origin.gitToken,
        deployKeyPrivate: origin.deployKeyPrivate,
        deployKeyPublic: origin.deployKeyPublic,
        sshKnownHosts: origin.sshKnownHosts,
        composePath: origin.composePath,
        commitSha: imported.commitSha,
        importWarnings: imported.plan.warnings as never,
        syncError: null,
        ...(origin.webhookProvider && origin.gitUrl !== stack.gitUrl ? { webhookProvider: origin.webhookProvider } : {}),
      },
    });
    const ids: { id: string; kind: string }[] = [];
    for (const member of members) {
      const row = byName.get(member.input.name);
      if (!row) ids.push({ ...(await insertMember(tx, box, { stackId: stack.id, ...where }, member)), kind: member.input.kind });
      else if (changes.changed.includes(member.input.name)) {
        await updateMember(
          tx,
          box,
          { ...where, serviceId: row.serviceId, stackServiceId: row.id, previousEnv: envNamesOfSpec(box, row.spec) },
          member,
        );
        ids.push({ id: row.serviceId, kind: member.input.kind });
      } else
        await tx.stackService.update({
          where: { id: row.id },
          data: { position: member.position, dependsOn: member.mapped.dependsOn as never, labels: member.mapped.labels },
        });
    }
    // Services kept though the file dropped them (a push) go last in the order.
    let position = members.length;
    for (const name of changes.removed)
      await tx.stackService.update({ where: { id: byName.get(name)!.id }, data: { position: position++, dependsOn: [] } });
    return ids;
  });
  for (const s of created) if (s.kind === "web") await ensureDefaultDomain(deps.db, s.id, publicIpOf(deps.env));
  if (options.remove !== "keep" && actor) {
    // Dependents first (the end of the order), each like a single service's deletion.
    for (const name of [...changes.removed].reverse())
      await deleteService(deps, actor, byName.get(name)!.serviceId, { deleteVolumes: options.deleteVolumes });
  }
  await recordAudit(deps.db, actor, {
    teamId,
    targetType: "stack",
    targetId: stack.id,
    action: actor ? "stack.update" : "stack.sync",
    detail: {
      name: stack.name,
      added: changes.added,
      changed: changes.changed,
      removed: options.remove === "keep" ? [] : changes.removed,
      ...(imported.commitSha ? { commit: imported.commitSha } : {}),
    },
  });
  if (options.deploy)
    await deployStackServices(deps, stack.id, [...changes.added, ...changes.changed], actor?.userId ?? stack.deployActorId);
  return changes;
}
