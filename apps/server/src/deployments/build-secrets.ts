import { resolveDeployEnv } from "../secrets/env-store.ts";
import { sealedBoxOf } from "../secrets/sealed-box.ts";
import type { RunContext } from "./run-context.ts";

/**
 * The seam between encrypted variables and BuildKit secret mounts: the service's secret
 * build-time variables (project-shared + its own), name -> value, for the engine's build
 * option `secrets` (each readable in the Dockerfile as `RUN --mount=type=secret,id=NAME`).
 * They are never build args (those end up in the image history) and never process args.
 */
export async function buildSecretsOf(ctx: { deps: Pick<RunContext["deps"], "db" | "env">; service: { id: string; projectId: string } }): Promise<Record<string, string>> {
  const env = await resolveDeployEnv(ctx.deps.db, sealedBoxOf(ctx.deps.env), { projectId: ctx.service.projectId, serviceId: ctx.service.id });
  return env.buildSecrets;
}
