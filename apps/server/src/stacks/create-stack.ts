/**
 * Create a stack from a compose file (pasted, or read from a path of a git repository): every
 * service of the file becomes a Berth service (the same rows a single service has), linked to
 * the stack with its dependencies, in ONE transaction; a refused file creates nothing and lists
 * every problem with its service and key.
 */
import { randomBytes } from "node:crypto";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { isUniqueViolation } from "../db-errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { getSettings } from "../instance/settings.ts";
import { ensureDefaultDomain } from "../domains/domains.ts";
import { publicIpOf } from "../domains/dns-check.ts";
import { dashboardUrl } from "../instance/dashboard-domain.ts";
import { type Actor, loadProject } from "../teams/access.ts";
import type { CreateStackInput } from "./stack-input.ts";
import { deployStack } from "./deploy-stack.ts";
import { importRequest, requestedOrigin } from "./stack-import-input.ts";
import { checkBeforeWriting, insertMember, membersOf } from "./stack-members.ts";

type CreateDeps = Pick<Deps, "db" | "env" | "queue" | "events" | "box">;

/** The URL a git host posts a stack's pushes to. */
export const stackHookUrl = (baseUrl: string, stackId: string) => `${baseUrl}/hooks/stack/${stackId}`;

/**
 * The file, imported -- or, for an ssh repository, nothing yet: Berth's new deploy key cannot read
 * the repository until someone adds it there, so the stack is created empty, shows the key, and
 * imports on its first re-import (`stacks.update` with no file) or push.
 */
async function fileOrKey(deps: CreateDeps, input: CreateStackInput) {
  if (input.git?.auth !== "ssh") return importRequest(deps, input, input.name);
  const origin = await requestedOrigin(deps, input.git, input.name);
  return { imported: null, origin, variables: Object.fromEntries(input.variables.map((v) => [v.key, v.value])) };
}

export async function createStack(deps: CreateDeps, actor: Actor, input: CreateStackInput) {
  const { project } = await loadProject(deps.db, actor, input.projectId, "member");
  const settings = await getSettings(deps.db);
  const { imported, origin, variables } = await fileOrKey(deps, input);
  const box = deps.box;
  const members = imported ? membersOf(input.projectId, imported, box, origin) : [];
  await checkBeforeWriting(
    deps,
    { teamId: project.teamId, projectId: input.projectId, settings, ownIds: [] },
    members,
    members.map((m) => m.input.name),
  );

  // A git-sourced stack redeploys on push: its webhook secret is shown once, in this answer.
  const webhookSecret = origin.gitUrl ? randomBytes(32).toString("hex") : null;
  let stack: { id: string; serviceIds: { id: string; name: string; kind: string }[] };
  try {
    stack = await deps.db.$transaction(async (tx) => {
      const row = await tx.stack.create({
        data: {
          projectId: input.projectId,
          name: input.name,
          compose: imported?.compose ?? "",
          variables: box.seal(JSON.stringify(variables)),
          profiles: input.profiles,
          gitUrl: origin.gitUrl,
          gitBranch: origin.gitBranch,
          gitToken: origin.gitToken,
          deployKeyPrivate: origin.deployKeyPrivate,
          deployKeyPublic: origin.deployKeyPublic,
          composePath: origin.composePath,
          commitSha: imported?.commitSha ?? null,
          importWarnings: (imported?.plan.warnings ?? []) as never,
          webhookSecret: webhookSecret === null ? null : box.seal(webhookSecret),
          webhookProvider: origin.webhookProvider ?? null,
        },
        select: { id: true },
      });
      const serviceIds: { id: string; name: string; kind: string }[] = [];
      for (const member of members) {
        const created = await insertMember(
          tx,
          box,
          { stackId: row.id, projectId: input.projectId, commitSha: imported?.commitSha ?? null, repository: origin },
          member,
        );
        serviceIds.push({ id: created.id, name: member.input.name, kind: member.input.kind });
      }
      return { id: row.id, serviceIds };
    });
  } catch (err) {
    if (isUniqueViolation(err))
      throw new DomainError("INVALID", `A stack named "${input.name}" already exists in this project`, {
        name: `A stack named "${input.name}" already exists in this project`,
      });
    throw err;
  }
  for (const s of stack.serviceIds) if (s.kind === "web") await ensureDefaultDomain(deps.db, s.id, publicIpOf(deps.env));
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    targetType: "stack",
    targetId: stack.id,
    action: "stack.create",
    // Names only: variable values may be secrets.
    detail: {
      name: input.name,
      services: stack.serviceIds.map((s) => s.name),
      variables: input.variables.map((v) => v.key),
      warnings: imported?.plan.warnings.length ?? 0,
      ...(origin.gitUrl
        ? { repository: origin.gitUrl, branch: origin.gitBranch ?? "main", ...(imported ? { commit: imported.commitSha ?? "" } : {}) }
        : {}),
    },
  });
  if (input.deploy && imported) await deployStack(deps, actor, stack.id);
  return {
    id: stack.id,
    services: stack.serviceIds.map(({ id, name }) => ({ id, name })),
    warnings: imported?.plan.warnings ?? [],
    /** An ssh repository's deploy key (public half): the stack imports once it is added to the repository. */
    deployKeyPublic: origin.deployKeyPublic,
    webhook: webhookSecret === null ? null : { url: stackHookUrl(await dashboardUrl(deps), stack.id), secret: webhookSecret },
  };
}
