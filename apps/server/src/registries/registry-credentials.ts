/**
 * A team's private-registry credentials: used for the pulls of its image services, sealed at
 * rest, never returned (the list shows registry and username only).
 */
import { registryOf, type RegistryAuth } from "@berth/engine";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { recordAudit } from "../audit/audit.ts";
import { notFound } from "../errors.ts";
import { type Actor, requireTeamRole } from "../teams/access.ts";

export const saveRegistryInput = z.object({
  teamId: z.string().uuid("Unknown team"),
  registry: z
    .string()
    .trim()
    .toLowerCase()
    .min(1, "Registry is required")
    .max(253, "The registry host is too long")
    .regex(
      /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]{1,5})?$/,
      "A registry host such as ghcr.io or registry.example.com:5000 (no scheme, no path)",
    ),
  username: z
    .string()
    .trim()
    .min(1, "Username is required")
    .max(255, "The username is too long")
    .refine((u) => !/[\0\r\n]/.test(u), "One line, please"),
  password: z
    .string()
    .min(1, "Password or token is required")
    .max(4096, "The password is too long")
    .refine((p) => !p.includes("\0"), "Must not contain NUL characters"),
});

export async function listRegistries(deps: Pick<Deps, "db">, actor: Actor, teamId: string) {
  await requireTeamRole(deps.db, actor, teamId, "viewer");
  return deps.db.registryCredential.findMany({
    where: { teamId },
    orderBy: { registry: "asc" },
    select: { id: true, registry: true, username: true, createdAt: true },
  });
}

/** Create or replace the team's credentials for one registry. */
export async function saveRegistry(deps: Pick<Deps, "db" | "env" | "box">, actor: Actor, input: z.infer<typeof saveRegistryInput>) {
  await requireTeamRole(deps.db, actor, input.teamId, "admin");
  const password = deps.box.seal(input.password);
  const row = await deps.db.registryCredential.upsert({
    where: { teamId_registry: { teamId: input.teamId, registry: input.registry } },
    create: { teamId: input.teamId, registry: input.registry, username: input.username, password },
    update: { username: input.username, password },
    select: { id: true },
  });
  await recordAudit(deps.db, actor, {
    teamId: input.teamId,
    action: "registry.save",
    targetType: "registry",
    targetId: row.id,
    detail: { registry: input.registry, username: input.username },
  });
  return row;
}

export async function deleteRegistry(deps: Pick<Deps, "db">, actor: Actor, input: { teamId: string; registryId: string }) {
  await requireTeamRole(deps.db, actor, input.teamId, "admin");
  const { count } = await deps.db.registryCredential.deleteMany({ where: { id: input.registryId, teamId: input.teamId } });
  if (count === 0) throw notFound("Registry credential");
  await recordAudit(deps.db, actor, {
    teamId: input.teamId,
    action: "registry.delete",
    targetType: "registry",
    targetId: input.registryId,
  });
  return { ok: true as const };
}

/** The team's credentials for the registry the image is on, opened for one pull; none: undefined. */
export async function registryAuthFor(
  deps: Pick<Deps, "db" | "env" | "box">,
  teamId: string,
  image: string,
): Promise<RegistryAuth | undefined> {
  const registry = registryOf(image);
  const row = await deps.db.registryCredential.findUnique({ where: { teamId_registry: { teamId, registry } } });
  if (!row) return undefined;
  return { serveraddress: registry, username: row.username, password: deps.box.open(row.password) };
}
