import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { Deps } from "../deps.ts";
import { enqueueDeployment } from "../deployments/deployments.ts";
import { recordAudit } from "../audit/audit.ts";
import { upsertEnvVars } from "../secrets/env-store.ts";
import { createService } from "../services/services.ts";
import { createServiceInput, imageRef, serviceName } from "../services/service-input.ts";
import type { Actor } from "../teams/access.ts";
import { DATABASE_ENGINES, ENGINE_RECIPES } from "./database-engines.ts";

export const createDatabaseInput = z.object({
  projectId: z.string().uuid("Unknown project"),
  name: serviceName,
  engine: z.enum(DATABASE_ENGINES, { message: `Choose one of: ${DATABASE_ENGINES.join(", ")}` }),
  /** Another image than the engine's official one (a mirror, a pinned version). */
  image: z.preprocess((v) => (v === "" ? undefined : v), imageRef.optional()),
  deploy: z.boolean().default(true),
});
export type CreateDatabaseInput = z.infer<typeof createDatabaseInput>;

/**
 * A database in one step: a TCP service (stop-first, with a volume at the engine's data
 * directory) whose credentials are generated here and stored as its sealed variables (the
 * password secret). Nothing is published on the host: services of the project reach it by name,
 * e.g. with `DATABASE_URL = ${{<name>.DATABASE_URL}}`.
 */
export async function createDatabase(
  deps: Pick<Deps, "db" | "env" | "queue" | "events" | "box">,
  actor: Actor,
  input: CreateDatabaseInput,
) {
  const recipe = ENGINE_RECIPES[input.engine];
  const service = createServiceInput.parse({
    projectId: input.projectId,
    name: input.name,
    source: "image",
    image: input.image ?? recipe.defaultImage,
    kind: "tcp",
    containerPort: recipe.port,
    command: recipe.command,
    volumes: [{ name: `${input.name}-data`, mountPath: recipe.dataDir }],
    // A first start initializes the data directory before the port opens (MariaDB's install
    // and temporary server take well over the default 30 s on a busy host).
    timeouts: { healthTimeoutS: 300 },
    deploy: false,
  });
  const { id } = await createService(deps, actor, service);
  await deps.db.service.update({ where: { id }, data: { databaseEngine: input.engine } });
  // 24 random bytes, URL-safe: usable in a connection URL as it is.
  const variables = recipe
    .variables(input.name, () => randomBytes(24).toString("base64url"))
    .map((v) => ({ ...v, buildTime: false, runtime: true }));
  await upsertEnvVars(deps.db, deps.box, { projectId: input.projectId, serviceId: id }, variables);
  const project = await deps.db.project.findUniqueOrThrow({ where: { id: input.projectId }, select: { teamId: true } });
  await recordAudit(deps.db, actor, {
    teamId: project.teamId,
    targetType: "service",
    targetId: id,
    action: "database.create",
    detail: { name: input.name, engine: input.engine, variables: variables.map((v) => v.name) },
  });
  const deployment = input.deploy ? await enqueueDeployment(deps, actor, id) : null;
  return { id, deploymentId: deployment?.deploymentId ?? null };
}
