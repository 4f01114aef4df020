/** A database's schedule and retention, and what its Backups section shows. */
import { z } from "zod";
import { backupPlacementProblem } from "./backup-placement.ts";
import type { Deps } from "../deps.ts";
import { DomainError, invalidField } from "../errors.ts";
import { recordAudit } from "../audit/audit.ts";
import { cronExpression, nextRun } from "../schedules/cron-expression.ts";
import { type Actor, loadService } from "../teams/access.ts";
import { destinationView, instanceTimeZone } from "./destinations.ts";
import { backupView } from "./run-backup.ts";

const emptyToNull = (v: unknown) => (v === "" || v === undefined ? null : v);

export const policyInput = z.object({
  /** Empty: the database's dump; else one of the service's named volumes. */
  volume: z.string().max(64).default(""),
  cron: z.preprocess(emptyToNull, cronExpression.nullable()),
  keepLast: z.preprocess(
    emptyToNull,
    z.coerce
      .number({ message: "Give a whole number" })
      .int("Give a whole number")
      .min(1, "Keep at least 1")
      .max(1000, "At most 1000")
      .nullable(),
  ),
  keepDays: z.preprocess(
    emptyToNull,
    z.coerce
      .number({ message: "Give a whole number" })
      .int("Give a whole number")
      .min(1, "At least 1 day")
      .max(3650, "At most 3650 days")
      .nullable(),
  ),
});
export type PolicyInput = z.infer<typeof policyInput>;

async function loadBackedUp(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, volume: string) {
  const { service } = await loadService(deps.db, actor, serviceId, "admin");
  if (volume) {
    if (!(await deps.db.volume.count({ where: { serviceId, name: volume, hostPath: null } })))
      throw invalidField("volume", `${service.name} has no named volume ${volume}`);
  } else if (!service.databaseEngine)
    throw new DomainError("INVALID", `${service.name} is not a database Berth created: it has no backups`);
  const problem = backupPlacementProblem(service);
  if (problem) throw invalidField("cron", problem);
  return service;
}

export async function savePolicy(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, input: PolicyInput, now = new Date()) {
  const service = await loadBackedUp(deps, actor, serviceId, input.volume);
  const nextRunAt = input.cron ? nextRun(input.cron, instanceTimeZone(), now) : null;
  const data = { cron: input.cron, keepLast: input.keepLast, keepDays: input.keepDays, nextRunAt };
  const volume = input.volume;
  const policy = await deps.db.backupPolicy.upsert({
    where: { serviceId_volume: { serviceId, volume } },
    create: { serviceId, volume, ...data },
    update: data,
  });
  await recordAudit(deps.db, actor, {
    teamId: service.project.teamId,
    action: "backup.policy",
    targetType: "service",
    targetId: serviceId,
    detail: { cron: input.cron ?? "", keepLast: input.keepLast ?? 0, keepDays: input.keepDays ?? 0, volume },
  });
  return policy;
}

/**
 * The Backups section of the database (volume "") or of one named volume: destination (no
 * secret), schedule, retention, the instance's time zone, recent backups and restores.
 */
export async function backupsOverview(deps: Pick<Deps, "db">, actor: Actor, serviceId: string, volume = "") {
  // Any service answers (engine null: no database backups), so a page can ask before it knows the kind.
  const { service } = await loadService(deps.db, actor, serviceId, "viewer");
  const [destination, policy, backups, restores, volumes] = await Promise.all([
    deps.db.backupDestination.findUnique({ where: { projectId: service.projectId } }),
    deps.db.backupPolicy.findUnique({ where: { serviceId_volume: { serviceId, volume } } }),
    deps.db.databaseBackup.findMany({ where: { serviceId, volume }, orderBy: { startedAt: "desc" }, take: 100 }),
    deps.db.backupRestore.findMany({
      where: { OR: [{ serviceId }, { backup: { serviceId } }], backup: { volume } },
      orderBy: { startedAt: "desc" },
      take: 10,
      include: { service: { select: { name: true } } },
    }),
    deps.db.volume.findMany({ where: { serviceId, hostPath: null }, select: { name: true, mountPath: true }, orderBy: { name: "asc" } }),
  ]);
  return {
    projectId: service.projectId,
    engine: service.databaseEngine,
    volume,
    volumes,
    destination: destinationView(destination),
    policy,
    timeZone: instanceTimeZone(),
    backups: backups.map(backupView),
    restores: restores.map(({ leaseUntil: _lease, service: into, ...r }) => ({ ...r, serviceName: into.name })),
  };
}
