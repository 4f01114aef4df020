import { resolveDeployEnv } from "../secrets/env-store.ts";
import { sealedBoxOf } from "../secrets/sealed-box.ts";
import type { RunContext } from "./run-context.ts";

/**
 * A git deployment's build secrets (id -> value, for Dockerfile `RUN --mount=type=secret,id=<id>`):
 * the service's encrypted variables marked secret + build-time (project-shared + its own).
 * Values stay in memory: the engine serves them over the BuildKit session and masks them in
 * the build log; they never reach build args (those end up in the image history), the
 * deployment's config snapshot, the database, a log or a process argument.
 */
export async function buildSecretsOf(ctx: { deps: Pick<RunContext["deps"], "db" | "env">; service: { id: string; projectId: string } }): Promise<Record<string, string>> {
  const env = await resolveDeployEnv(ctx.deps.db, sealedBoxOf(ctx.deps.env), { projectId: ctx.service.projectId, serviceId: ctx.service.id });
  return env.buildSecrets;
}
