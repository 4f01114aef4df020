/** What the dashboard shows of stacks: a project's stacks, and one stack's services in dependency order with their status. */
import type { Deps } from "../deps.ts";
import { type Actor, loadProject } from "../teams/access.ts";
import { readServiceStatus } from "../overview/live-service-status.ts";
import { findLiveDeployment } from "../deployments/live-release.ts";
import { loadStack } from "./stack-access.ts";
import { dependenciesOf } from "./deploy-stack.ts";
import type { StackIssue } from "./stack-issues.ts";

export async function listStacks(deps: Pick<Deps, "db">, actor: Actor, projectId: string) {
  await loadProject(deps.db, actor, projectId, "viewer");
  const stacks = await deps.db.stack.findMany({
    where: { projectId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, createdAt: true, _count: { select: { services: true } } },
  });
  return stacks.map((s) => ({ id: s.id, name: s.name, createdAt: s.createdAt, serviceCount: s._count.services }));
}

export async function getStack(deps: Pick<Deps, "db" | "engine" | "engineWatch" | "box" | "log">, actor: Actor, stackId: string) {
  const { stack, project } = await loadStack(deps.db, actor, stackId, "viewer");
  const members = await deps.db.stackService.findMany({
    where: { stackId },
    orderBy: { position: "asc" },
    include: { service: { select: { id: true, name: true, image: true, kind: true, containerPort: true, desiredState: true, job: true } } },
  });
  const services = await Promise.all(
    members.map(async (m) => {
      const [latest, live] = await Promise.all([
        deps.db.deployment.findFirst({ where: { serviceId: m.serviceId }, orderBy: { createdAt: "desc" }, omit: { config: true } }),
        findLiveDeployment(deps.db, m.serviceId),
      ]);
      const status = await readServiceStatus(deps, {
        id: m.serviceId,
        desiredState: m.service.desiredState,
        latest,
        liveDeploymentId: live?.id ?? null,
      });
      return {
        id: m.service.id,
        name: m.service.name,
        image: m.service.image,
        kind: m.service.kind,
        /** Runs to completion on each stack deployment (its runs hold the output). */
        job: m.service.job,
        port: m.service.containerPort,
        position: m.position,
        dependsOn: dependenciesOf(m.dependsOn),
        labels: m.labels as Record<string, string>,
        /** Its state in the stack's latest deployment, and why it failed. */
        stackState: m.state,
        stackReason: m.stateReason,
        /** Live status, as the project page derives it. */
        status: status.status,
      };
    }),
  );
  // Never the token, the private key or the webhook secret: whether they exist only.
  const git =
    stack.gitUrl === null
      ? null
      : {
          url: stack.gitUrl,
          branch: stack.gitBranch ?? "main",
          composePath: stack.composePath,
          commitSha: stack.commitSha,
          /** False: created from an ssh repository and waiting for its deploy key to be added (no file read yet). */
          imported: stack.commitSha !== null,
          hasToken: stack.gitToken !== null,
          deployKeyPublic: stack.deployKeyPublic,
          sshHostKeyPinned: stack.sshKnownHosts !== null,
          hasWebhookSecret: stack.webhookSecret !== null,
          webhookProvider: stack.webhookProvider,
          syncError: stack.syncError,
        };
  return {
    id: stack.id,
    name: stack.name,
    projectId: project.id,
    projectName: project.name,
    compose: stack.compose,
    profiles: stack.profiles,
    createdAt: stack.createdAt,
    git,
    services,
    /** What the last import changed or ignored of the file (a directory as a volume, an ignored key). */
    importWarnings: stack.importWarnings as unknown as StackIssue[],
  };
}
