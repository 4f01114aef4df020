import type { Db } from "@berth/db";
import { z } from "zod";
import { recordAudit } from "../audit/audit.ts";
import type { Actor } from "../teams/access.ts";
import { checkDefaultMemoryRemoval } from "../services/memlock-check.ts";

export const settingsInput = z.object({
  signupOpen: z.boolean().optional(),
  baseDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253, "A domain has at most 253 characters")
    .regex(
      /^$|^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
      "Enter a domain such as apps.example.com, or leave it empty",
    )
    .optional(),
  buildConcurrency: z.coerce
    .number({ message: "Enter a whole number" })
    .int("Enter a whole number")
    .min(1, "At least 1")
    .max(16, "At most 16")
    .nullable()
    .optional(),
  allowLocalSources: z.boolean().optional(),
  buildLogRetentionDays: z.coerce.number().int("A whole number of days").min(1, "At least 1 day").max(3650, "At most 3650 days").optional(),
  /** Certificates for custom domains: Caddy's internal CA, or ACME (Let's Encrypt). */
  tlsIssuer: z.enum(["internal", "acme"]).optional(),
  acmeEmail: z.union([z.literal(""), z.string().trim().email("Enter an email address, or leave it empty").max(254)]).optional(),
  acmeStaging: z.boolean().optional(),
  /** Limits for every container whose service sets none (null: unlimited). */
  defaultMemoryMb: z.coerce
    .number({ message: "Enter a whole number of MiB" })
    .int("Whole MiB")
    .min(6, "At least 6 MiB")
    .max(1_048_576, "At most 1 TiB")
    .nullable()
    .optional(),
  defaultPidsLimit: z.coerce
    .number({ message: "Enter a whole number" })
    .int("A whole number")
    .min(16, "At least 16")
    .max(100_000, "At most 100000")
    .nullable()
    .optional(),
  defaultCpus: z.coerce
    .number({ message: "Enter a number of CPUs" })
    .min(0.01, "At least 0.01")
    .max(256, "At most 256")
    .nullable()
    .optional(),
  allowBindMounts: z.boolean().optional(),
  /** Compose stacks may give services powers over the host (privileged, cap_add, devices, host namespaces). */
  allowHostAccess: z.boolean().optional(),
});
export type SettingsInput = z.infer<typeof settingsInput>;

export interface InstanceSettingsView {
  signupOpen: boolean;
  baseDomain: string;
  /** null: no settings saved yet, the BERTH_BUILD_CONCURRENCY default applies. */
  buildConcurrency: number | null;
  allowLocalSources: boolean;
  /** Days a finished deployment's log is kept. */
  buildLogRetentionDays: number;
  tlsIssuer: "internal" | "acme";
  acmeEmail: string;
  acmeStaging: boolean;
  defaultMemoryMb: number | null;
  defaultPidsLimit: number | null;
  defaultCpus: number | null;
  allowBindMounts: boolean;
  allowHostAccess: boolean;
}

export async function getSettings(db: Db): Promise<InstanceSettingsView> {
  const row = await db.instanceSettings.findUnique({ where: { id: 1 } });
  return {
    signupOpen: row?.signupOpen ?? false,
    baseDomain: row?.baseDomain ?? "",
    buildConcurrency: row?.buildConcurrency ?? null,
    allowLocalSources: row?.allowLocalSources ?? false,
    buildLogRetentionDays: row?.buildLogRetentionDays ?? 30,
    tlsIssuer: row?.tlsIssuer ?? "internal",
    acmeEmail: row?.acmeEmail ?? "",
    acmeStaging: row?.acmeStaging ?? false,
    // No row yet: the schema's defaults (no container runs unbounded by accident).
    defaultMemoryMb: row ? row.defaultMemoryMb : 1024,
    defaultPidsLimit: row ? row.defaultPidsLimit : 4096,
    defaultCpus: row ? row.defaultCpus : null,
    allowBindMounts: row?.allowBindMounts ?? false,
    allowHostAccess: row?.allowHostAccess ?? false,
  };
}

/** The instance defaults a service's settings fall back to (shown to every member of a team, not only the owner). PURE. */
export function instanceDefaultsView(settings: InstanceSettingsView) {
  return {
    limits: { cpus: settings.defaultCpus, memoryMb: settings.defaultMemoryMb, pidsLimit: settings.defaultPidsLimit },
    allowBindMounts: settings.allowBindMounts,
  };
}

/** Only the instance owner gets here (instanceOwnerProcedure checks before the handler). */
export async function updateSettings(db: Db, actor: Actor, input: SettingsInput): Promise<InstanceSettingsView> {
  const data = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<SettingsInput>;
  if (data.defaultMemoryMb === null && (await getSettings(db)).defaultMemoryMb !== null) await checkDefaultMemoryRemoval(db);
  await db.instanceSettings.upsert({ where: { id: 1 }, create: { id: 1, ...data }, update: data });
  await recordAudit(db, actor, { teamId: null, action: "instance.settings", detail: { fields: Object.keys(data) } });
  return getSettings(db);
}

/** Who may sign up now: the very first user always; later users only while sign-up is open. */
export async function signupStatus(db: Db): Promise<{ signupOpen: boolean; hasUsers: boolean }> {
  const [users, settings] = await Promise.all([db.user.count(), getSettings(db)]);
  return { hasUsers: users > 0, signupOpen: users === 0 || settings.signupOpen };
}

export async function listUsers(db: Db) {
  const rows = await db.user.findMany({
    orderBy: { createdAt: "asc" },
    select: {
      id: true,
      name: true,
      email: true,
      instanceRole: true,
      createdAt: true,
      _count: { select: { memberships: true, sessions: true } },
    },
  });
  return rows.map(({ _count, ...u }) => ({ ...u, teamCount: _count.memberships, sessionCount: _count.sessions }));
}

export function instanceFeatures(deps: { mailer?: unknown }): { passwordReset: boolean; invitationEmails: boolean } {
  const mail = Boolean(deps.mailer);
  return { passwordReset: mail, invitationEmails: mail };
}
