/**
 * The rows of a stack's services: create and update them from an imported compose file, the
 * same rows a single service has (services.create's schema, its volumes, its variables), inside
 * the caller's transaction. A built service takes its repository from the stack.
 */
import type { Prisma } from "@berth/db";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import type { SealedBox } from "../secrets/sealed-box.ts";
import { writeEnvVars } from "../secrets/env-store.ts";
import { insertService } from "../services/services.ts";
import { createServiceInput, type CreateServiceInput, envToRecord } from "../services/service-input.ts";
import { runtimeColumns } from "../services/service-settings.ts";
import { assertImageUsable } from "../services/image-ownership.ts";
import { addressClashes, projectAddresses } from "../services/service-addresses.ts";
import { checkMemlock } from "../services/memlock-check.ts";
import { checkHostPaths, syncServiceVolumes } from "../volumes/service-volumes.ts";
import { serviceInputOf } from "./berth-fields.ts";
import type { ImportedStack } from "./stack-source.ts";
import type { MappedService } from "./service-fields.ts";
import type { StackIssue } from "./stack-issues.ts";
import type { StackOrigin } from "./stack-import-input.ts";
import { refusal } from "./stack-refusal.ts";

/** The stack's repository and credentials, copied (sealed) onto every service it builds. */
export type StackRepository = Pick<
  StackOrigin,
  "gitUrl" | "gitBranch" | "gitToken" | "deployKeyPrivate" | "deployKeyPublic" | "sshKnownHosts"
>;

export interface Member {
  mapped: MappedService;
  input: CreateServiceInput;
  /** Sealed spec (what it was imported as). */
  spec: string;
  position: number;
}

export function membersOf(projectId: string, imported: ImportedStack, box: SealedBox, repository: StackRepository): Member[] {
  return imported.plan.services.map((mapped, position) => ({
    mapped,
    position,
    spec: box.seal(imported.specs.get(mapped.fields.name) ?? ""),
    input: createServiceInput.parse({
      ...serviceInputOf(mapped.fields, {
        url: repository.gitUrl ?? "",
        branch: repository.gitBranch ?? "main",
        commit: imported.commitSha,
        auth: "none",
      }),
      projectId,
      deploy: false,
    }),
  }));
}

/** The source columns of a built service: the stack's repository at the imported commit. */
function sourceColumns(member: Member, repository: StackRepository, commitSha: string | null) {
  const git = member.mapped.fields.git;
  if (!git)
    return {
      sourceType: "image" as const,
      image: member.input.image,
      gitUrl: null,
      gitBranch: null,
      gitCommit: null,
      gitToken: null,
      deployKeyPrivate: null,
      deployKeyPublic: null,
      sshKnownHosts: null,
    };
  const { gitUrl, gitBranch, gitToken, deployKeyPrivate, deployKeyPublic, sshKnownHosts } = repository;
  return {
    sourceType: "git" as const,
    image: "",
    gitUrl,
    gitBranch,
    gitCommit: commitSha,
    dockerfilePath: git.dockerfilePath,
    contextPath: git.contextPath,
    buildArgs: envToRecord(git.buildArgs),
    gitToken,
    deployKeyPrivate,
    deployKeyPublic,
    sshKnownHosts,
  };
}

/**
 * Columns only a stack sets: a job never runs as a release (stopped, so nothing restarts or
 * reconciles it; its deployment runs it); host access the instance owner allowed.
 */
function stackOnlyColumns(member: Member) {
  const { job, hostAccess } = member.mapped.fields;
  return {
    ...(job ? { job: true, desiredState: "stopped" as const } : { job: false }),
    hostAccess: (hostAccess ?? {}) as Prisma.InputJsonValue,
  };
}

const envRows = (m: Member) =>
  m.input.env.map((e) => ({ name: e.key, value: e.value, secret: m.mapped.secretEnv.includes(e.key), buildTime: false, runtime: true }));

export async function insertMember(
  tx: Prisma.TransactionClient,
  box: SealedBox,
  where: { stackId: string; projectId: string; commitSha: string | null; repository: StackRepository },
  member: Member,
): Promise<{ id: string }> {
  const created = await withServiceContext(() => insertService(tx, member.input), member.mapped.fields.name);
  if (member.mapped.fields.git)
    await tx.service.update({ where: { id: created.id }, data: sourceColumns(member, where.repository, where.commitSha) });
  if (member.mapped.fields.job || member.mapped.fields.hostAccess)
    await tx.service.update({ where: { id: created.id }, data: stackOnlyColumns(member) });
  await writeEnvVars(tx, box, { projectId: where.projectId, serviceId: created.id }, envRows(member));
  await tx.stackService.create({
    data: {
      stackId: where.stackId,
      serviceId: created.id,
      position: member.position,
      dependsOn: member.mapped.dependsOn as unknown as Prisma.InputJsonValue,
      labels: member.mapped.labels,
      spec: member.spec,
    },
  });
  return created;
}

/**
 * Bring an existing stack service to the file's version: settings, source, volumes (one the
 * file no longer mounts is detached and kept, never deleted) and the variables the file sets
 * (those it set before and no longer does are removed; variables added on the service page stay).
 */
export async function updateMember(
  tx: Prisma.TransactionClient,
  box: SealedBox,
  where: {
    projectId: string;
    commitSha: string | null;
    repository: StackRepository;
    serviceId: string;
    stackServiceId: string;
    previousEnv: string[];
  },
  member: Member,
): Promise<void> {
  await tx.service.update({
    where: { id: where.serviceId },
    data: {
      ...runtimeColumns(member.input),
      ...sourceColumns(member, where.repository, where.commitSha),
      ...(member.input.timeouts ?? {}),
      ...stackOnlyColumns(member),
    },
  });
  await withServiceContext(
    () => syncServiceVolumes(tx, { projectId: where.projectId, serviceId: where.serviceId }, member.input.volumes),
    member.mapped.fields.name,
  );
  const gone = where.previousEnv.filter((name) => !member.input.env.some((e) => e.key === name));
  await tx.envVar.deleteMany({ where: { projectId: where.projectId, serviceId: where.serviceId, name: { in: gone } } });
  await writeEnvVars(tx, box, { projectId: where.projectId, serviceId: where.serviceId }, envRows(member));
  await tx.stackService.update({
    where: { id: where.stackServiceId },
    data: {
      position: member.position,
      dependsOn: member.mapped.dependsOn as unknown as Prisma.InputJsonValue,
      labels: member.mapped.labels,
      spec: member.spec,
    },
  });
}

/** What the database would refuse, found first so the error names the compose service and key. */
export async function checkBeforeWriting(
  deps: Pick<Deps, "db">,
  where: { teamId: string; projectId: string; settings: { allowBindMounts: boolean; defaultMemoryMb: number | null }; ownIds: string[] },
  members: Member[],
  newNames: string[],
): Promise<void> {
  const { teamId, projectId, settings } = where;
  const issues: StackIssue[] = [];
  const taken = await deps.db.service.findMany({
    where: { projectId, name: { in: newNames }, id: { notIn: where.ownIds } },
    select: { name: true },
  });
  for (const t of taken)
    issues.push({ service: t.name, key: "(name)", message: `A service named "${t.name}" already exists in this project` });
  const others = await projectAddresses(deps.db, projectId, where.ownIds);
  const clashes = addressClashes(
    others,
    members.map((m) => m.input),
  );
  for (const clash of clashes)
    issues.push({ service: clash.service, key: clash.field === "name" ? "(name)" : "networks", message: clash.message });
  for (const { input } of members) {
    const checks: [() => Promise<void> | void, string][] = [
      [() => checkHostPaths(input.volumes, settings.allowBindMounts), "volumes"],
      [() => checkMemlock(input, settings), "ulimits"],
    ];
    if (input.source === "image") checks.push([() => assertImageUsable(deps.db, { serviceId: null, teamId }, input.image), "image"]);
    for (const [check, key] of checks) {
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
async function withServiceContext<T>(write: () => Promise<T>, service: string): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof DomainError && err.fieldErrors) {
      const [field] = Object.keys(err.fieldErrors);
      throw refusal([{ service, key: field ?? "(service)", message: err.message }]);
    }
    throw err;
  }
}
