import type { Db } from "@berth/db";
import { DomainError } from "../errors.ts";

export interface InstanceSettingsView {
  signupOpen: boolean;
  /** null: the BERTH_BUILD_CONCURRENCY default applies. */
  buildConcurrency: number | null;
  allowLocalSources: boolean;
  /** Days a finished deployment's log is kept. */
  buildLogRetentionDays: number;
}

export async function getSettings(db: Db): Promise<InstanceSettingsView> {
  const row = await db.instanceSettings.findUnique({ where: { id: 1 } });
  return {
    signupOpen: row?.signupOpen ?? false,
    buildConcurrency: row?.buildConcurrency ?? null,
    allowLocalSources: row?.allowLocalSources ?? false,
    buildLogRetentionDays: row?.buildLogRetentionDays ?? 30,
  };
}

export async function updateSettings(db: Db, actor: { instanceRole: string }, input: Partial<InstanceSettingsView>): Promise<InstanceSettingsView> {
  if (actor.instanceRole !== "owner") {
    throw new DomainError("FORBIDDEN", "Only the instance owner can change instance settings");
  }
  await db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, ...input }, update: input });
  return getSettings(db);
}

/** Who may sign up now: the very first user always; later users only while sign-up is open. */
export async function signupStatus(db: Db): Promise<{ signupOpen: boolean; hasUsers: boolean }> {
  const [users, settings] = await Promise.all([db.user.count(), getSettings(db)]);
  return { hasUsers: users > 0, signupOpen: users === 0 || settings.signupOpen };
}
