import type { Db, Prisma } from "@berth/db";
import type { Deps } from "../deps.ts";
import { isSealed, SealError, type SealedBox } from "./sealed-box.ts";

export interface SealReport {
  /** Plaintext values found and sealed (rows written before sealing existed). */
  sealed: number;
  /** Values sealed under an older key and re-sealed under the current one. */
  resealed: number;
  /** Values no configured key opens (left as they are; reported). */
  unreadable: number;
}

/** Limit the pass to one project (staged rotation; tests on a shared database). */
export interface SealScope {
  projectId?: string;
}

/** A value as it should be stored now: sealed under the current key. */
function upgrade(box: SealedBox, value: string, report: SealReport): string {
  if (!isSealed(value)) {
    report.sealed++;
    return box.seal(value);
  }
  if (!box.needsReseal(value)) return value;
  try {
    const next = box.reseal(value);
    report.resealed++;
    return next;
  } catch (err) {
    if (!(err instanceof SealError)) throw err;
    report.unreadable++;
    return value;
  }
}

async function upgradeServices(db: Db, box: SealedBox, report: SealReport, scope: SealScope): Promise<void> {
  const rows = await db.service.findMany({
    where: { projectId: scope.projectId },
    select: { id: true, projectId: true, gitToken: true, deployKeyPrivate: true, webhookSecret: true, env: true },
  });
  for (const row of rows) {
    const data: Prisma.ServiceUpdateInput = {};
    for (const column of ["gitToken", "deployKeyPrivate", "webhookSecret"] as const) {
      const value = row[column];
      const next = value === null ? null : upgrade(box, value, report);
      if (next !== value) data[column] = next;
    }
    // Legacy plaintext environment JSON moves into env_var (sealed, run-time, not secret).
    const legacy =
      row.env && typeof row.env === "object" && !Array.isArray(row.env) ? Object.entries(row.env as Record<string, unknown>) : [];
    for (const [name, value] of legacy) {
      report.sealed++;
      await db.envVar.upsert({
        where: { projectId_scopeKey_name: { projectId: row.projectId, scopeKey: row.id, name } },
        create: { projectId: row.projectId, serviceId: row.id, scopeKey: row.id, name, value: box.seal(String(value)) },
        update: {},
      });
    }
    if (legacy.length > 0) data.env = {};
    if (Object.keys(data).length > 0) await db.service.update({ where: { id: row.id }, data });
  }
}

/**
 * Each listed column of each row brought to the current key (empty and null values stay as they
 * are: nothing to seal); the row is written only when a column changed.
 */
async function upgradeRows<C extends string>(
  rows: Array<{ id: string } & Record<C, string | null>>,
  columns: readonly C[],
  box: SealedBox,
  report: SealReport,
  write: (id: string, data: Partial<Record<C, string>>) => Promise<unknown>,
): Promise<void> {
  for (const row of rows) {
    const data: Partial<Record<C, string>> = {};
    for (const column of columns) {
      const value = row[column];
      if (value === null || value === "") continue;
      const next = upgrade(box, value, report);
      if (next !== value) data[column] = next;
    }
    if (Object.keys(data).length > 0) await write(row.id, data);
  }
}

/** A config snapshot with its environment sealed under the current key, or null when it already is. */
function upgradeConfig(box: SealedBox, config: unknown, report: SealReport): Prisma.InputJsonValue | null {
  if (!config || typeof config !== "object" || Array.isArray(config)) return null;
  const { env, envSealed, ...rest } = config as { env?: unknown; envSealed?: unknown };
  if (typeof envSealed === "string") {
    const next = upgrade(box, envSealed, report);
    return next === envSealed ? null : ({ ...rest, envSealed: next } as Prisma.InputJsonValue);
  }
  if (env === undefined) return null;
  report.sealed++;
  return { ...rest, envSealed: box.seal(JSON.stringify(env ?? {})) } as Prisma.InputJsonValue;
}

/**
 * Make every secret at rest sealed under the current key: seal plaintext left by older
 * versions (git tokens, deploy keys, environment JSON, config snapshots, uploaded TLS keys, registry passwords, servers' TLS and SSH keys, the cluster registry's password,
 * compose stacks' variables, credentials and specs, backup destinations' S3 secret keys) and re-seal values
 * sealed under a previous BERTH_SECRET (rotation: set the new BERTH_SECRET, keep the old one
 * in BERTH_SECRET_PREVIOUS, restart; once this reports 0 resealed, drop the old one).
 * Idempotent; runs at boot.
 */
export async function ensureSealedAtRest(deps: Pick<Deps, "db" | "env" | "box">, scope: SealScope = {}): Promise<SealReport> {
  const { db } = deps;
  const box = deps.box;
  const report: SealReport = { sealed: 0, resealed: 0, unreadable: 0 };
  const inProject = { projectId: scope.projectId };
  const ofService = scope.projectId ? { service: { projectId: scope.projectId } } : {};
  await upgradeServices(db, box, report, scope);
  for (const row of await db.envVar.findMany({ where: inProject, select: { id: true, value: true } })) {
    const next = upgrade(box, row.value, report);
    if (next !== row.value) await db.envVar.update({ where: { id: row.id }, data: { value: next } });
  }
  for (const row of await db.notificationChannel.findMany({ where: inProject, select: { id: true, target: true } })) {
    const next = upgrade(box, row.target, report);
    if (next !== row.target) await db.notificationChannel.update({ where: { id: row.id }, data: { target: next } });
  }
  // Registry passwords belong to teams, not projects: only a whole-instance pass reaches them.
  for (const row of scope.projectId ? [] : await db.registryCredential.findMany({ select: { id: true, password: true } })) {
    const next = upgrade(box, row.password, report);
    if (next !== row.password) await db.registryCredential.update({ where: { id: row.id }, data: { password: next } });
  }
  // Servers' TLS and SSH private keys are instance-wide, like registry passwords.
  const servers = scope.projectId ? [] : await db.server.findMany({ select: { id: true, tlsKey: true, sshPrivateKey: true } });
  await upgradeRows(servers, ["tlsKey", "sshPrivateKey"] as const, box, report, (id, data) => db.server.update({ where: { id }, data }));
  // The cluster registry's password (one row while cluster mode is on).
  for (const row of scope.projectId ? [] : await db.cluster.findMany({ select: { id: true, registryPassword: true } })) {
    const next = row.registryPassword === null ? null : upgrade(box, row.registryPassword, report);
    if (next !== row.registryPassword) await db.cluster.update({ where: { id: row.id }, data: { registryPassword: next } });
  }
  for (const row of await db.domain.findMany({ where: { ...ofService, keyPem: { not: null } }, select: { id: true, keyPem: true } })) {
    const next = row.keyPem === null ? null : upgrade(box, row.keyPem, report);
    if (next !== row.keyPem) await db.domain.update({ where: { id: row.id }, data: { keyPem: next } });
  }
  // Compose stacks: their variables, repository credentials and hook secret; each member's imported spec.
  const stackColumns = ["variables", "gitToken", "deployKeyPrivate", "webhookSecret"] as const;
  const stacks = await db.stack.findMany({
    where: inProject,
    select: { id: true, variables: true, gitToken: true, deployKeyPrivate: true, webhookSecret: true },
  });
  await upgradeRows(stacks, stackColumns, box, report, (id, data) => db.stack.update({ where: { id }, data }));
  const members = await db.stackService.findMany({
    where: scope.projectId ? { stack: { projectId: scope.projectId } } : {},
    select: { id: true, spec: true },
  });
  await upgradeRows(members, ["spec"] as const, box, report, (id, data) => db.stackService.update({ where: { id }, data }));
  const destinations = await db.backupDestination.findMany({ where: inProject, select: { id: true, secretAccessKey: true } });
  await upgradeRows(destinations, ["secretAccessKey"] as const, box, report, (id, data) =>
    db.backupDestination.update({ where: { id }, data }),
  );
  for (const row of await db.deployment.findMany({ where: ofService, select: { id: true, config: true } })) {
    const next = upgradeConfig(box, row.config, report);
    if (next !== null) await db.deployment.update({ where: { id: row.id }, data: { config: next } });
  }
  for (const row of await db.release.findMany({ where: ofService, select: { id: true, config: true } })) {
    const next = upgradeConfig(box, row.config, report);
    if (next !== null) await db.release.update({ where: { id: row.id }, data: { config: next } });
  }
  return report;
}

/** At boot, before the worker starts: seal/re-seal what needs it, then go on (also after a failure, logged). */
export function sealThenStart(deps: Pick<Deps, "db" | "env" | "log" | "box">, start: () => void): void {
  ensureSealedAtRest(deps).then(
    (report) => {
      if (report.sealed + report.resealed > 0) deps.log.info(report, "secrets at rest sealed under the current key");
      if (report.unreadable > 0)
        deps.log.error(
          report,
          "some sealed values open with no configured key: set BERTH_SECRET_PREVIOUS to the secret they were sealed with",
        );
      start();
    },
    (err: unknown) => {
      deps.log.error({ err: String(err) }, "could not seal secrets at rest (is BERTH_SECRET_PREVIOUS missing after a rotation?)");
      start();
    },
  );
}
