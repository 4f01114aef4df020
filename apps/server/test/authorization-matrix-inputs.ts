/**
 * The authorization matrix's fixture (authorization-matrix.int.test.ts): team A's seeded
 * resources, the input each procedure is called with on them, and a snapshot of everything of
 * team A that a refused call must leave as it was.
 */
import type { Db } from "@berth/db";
import type { Client } from "./http-harness.ts";

/** Team A (the victim): its owner's client and the id of each resource a procedure may act on. */
export interface Victim {
  client: Client;
  userId: string;
  email: string;
  teamId: string;
  projectId: string;
  serviceId: string;
  deploymentId: string;
  releaseId: string;
  memberId: string;
  sessionId: string;
  tokenId: string;
  tokenSecret: string;
  invitationId: string;
  inviteSecret: string;
  domainId: string;
  envVarId: string;
  envVarName: string;
  channelId: string;
  volumeId: string;
  registryId: string;
  stackId: string;
  runId: string;
  backupId: string;
  restoreId: string;
  cronJobId: string;
}

/** A procedure's input aimed at team A's resources: every id it may take, plus what the procedure needs besides. */
export function matrixInput(victim: Victim, path: string, email: (tag: string) => string): Record<string, unknown> {
  const ids = {
    teamId: victim.teamId,
    projectId: victim.projectId,
    serviceId: victim.serviceId,
    deploymentId: victim.deploymentId,
    releaseId: victim.releaseId,
    userId: victim.memberId,
    sessionId: victim.sessionId,
    tokenId: victim.tokenId,
    invitationId: victim.invitationId,
    token: victim.inviteSecret,
    domainId: victim.domainId,
    envVarId: victim.envVarId,
    channelId: victim.channelId,
    volumeId: victim.volumeId,
    registryId: victim.registryId,
    stackId: victim.stackId,
    runId: victim.runId,
    cronJobId: victim.cronJobId,
    backupId: victim.backupId,
    restoreId: victim.restoreId,
  };
  const extras: Record<string, Record<string, unknown>> = {
    "projects.create": { name: "intruder" },
    "services.create": { name: "intruder", image: "berth-test/hello:latest", containerPort: 8080, env: [{ key: "X", value: "y" }] },
    "stacks.create": { name: "intruder-stack", compose: "services:\n  intruder: { image: 'berth-test/hello:latest', ports: ['8080'] }\n" },
    "databases.create": { name: "intruder-db", engine: "postgresql", image: "berth-test/postgres:15" },
    "databases.setPublicPort": { enabled: true, hostPort: 45432, bindAddress: "0.0.0.0" },
    "services.update": {
      name: "intruder",
      image: "berth-test/hello:latest",
      containerPort: 9090,
      volumes: [{ name: "stolen", mountPath: "/data" }],
    },
    "services.delete": { deleteVolumes: true },
    "services.setPlacement": { placement: "server", constraints: [] },
    "projects.update": { name: "renamed-by-intruder" },
    "projects.delete": { confirmName: "victim-project", deleteVolumes: true },
    "projects.deleteVolume": { confirmName: "victim-data" },
    "registries.save": { registry: "ghcr.io", username: "intruder", password: "x" },
    "services.checkSource": { source: "image", image: "berth-test/hello:latest" },
    "teams.create": { name: "own team" },
    "teams.changeRole": { role: "admin" },
    "invitations.create": { email: email("new"), role: "admin" },
    "tokens.create": { name: "intruder", scope: "admin" },
    "env.save": { vars: [{ name: "INTRUDER", value: "x" }] },
    "env.saveShared": { vars: [{ name: "INTRUDER", value: "x" }] },
    "env.import": { text: "INTRUDER=x" },
    "env.importShared": { text: "INTRUDER=x" },
    "env.set": { name: "INTRUDER", value: "x" },
    "env.unset": { name: victim.envVarName },
    "notifications.create": { kind: "webhook", name: "intruder", target: "https://example.com/hook" },
    "instance.updateSettings": { signupOpen: false, baseDomain: "evil.example.com", buildConcurrency: 9 },
    "domains.add": { hostname: "intruder.example.com" },
    "domains.update": { redirectTwin: true, ipAllowList: ["10.0.0.0/8"] },
    "domains.setCertificate": { certificate: null },
    "hooks.setProvider": { provider: "gitlab" },
    "oneOffs.run": { shell: "id" },
    "cronJobs.create": { name: "intruder", schedule: "* * * * *", command: "id" },
    "cronJobs.update": { name: "intruder", schedule: "* * * * *", command: "id" },
  };
  return { ...ids, ...extras[path] };
}

/** Everything of team A a call could change (rows and counts), as one comparable string. */
export async function teamSnapshot(db: Db, victim: Victim): Promise<string> {
  const teamId = victim.teamId;
  const rows = await Promise.all([
    db.team.findUnique({ where: { id: teamId } }),
    db.membership.findMany({ where: { teamId }, orderBy: { userId: "asc" } }),
    db.project.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db.service.findMany({ where: { project: { teamId } }, orderBy: { id: "asc" } }),
    db.deployment.findMany({ where: { service: { project: { teamId } } }, orderBy: { id: "asc" } }),
    db.invitation.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db.apiToken.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db.session.findMany({ where: { userId: victim.userId }, orderBy: { id: "asc" } }),
    db.auditEvent.count({ where: { teamId } }),
    db.envVar.findMany({ where: { project: { teamId } }, orderBy: { id: "asc" } }),
    db.notificationChannel.findMany({ where: { project: { teamId } }, orderBy: { id: "asc" } }),
    db.oneOffRun.findMany({ where: { service: { project: { teamId } } }, orderBy: { id: "asc" } }),
    db.cronJob.findMany({ where: { service: { project: { teamId } } }, orderBy: { id: "asc" } }),
    db.webhookDelivery.findMany({ where: { service: { project: { teamId } } }, orderBy: { id: "asc" } }),
    db.instanceSettings.findUnique({ where: { id: 1 } }),
    db.domain.findMany({ where: { service: { project: { teamId } } }, orderBy: { id: "asc" } }),
    db.volume.findMany({ where: { project: { teamId } }, orderBy: { id: "asc" } }),
    db.registryCredential.findMany({ where: { teamId }, orderBy: { id: "asc" } }),
    db.stack.findMany({ where: { project: { teamId } }, orderBy: { id: "asc" }, include: { services: true } }),
    db.user.count(),
  ]);
  return JSON.stringify(rows);
}
