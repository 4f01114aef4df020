/**
 * The shared frame of the deployment integration files: a worker wired into the deps, waiting
 * for a deployment to end, git services on the local fixtures, and their cleanup.
 */
import { randomUUID } from "node:crypto";
import type { Deps } from "../src/deps.ts";
import { buildRepository } from "../src/deployments/build-stage.ts";
import { isTerminalStatus } from "../src/deployments/statuses.ts";
import { DeploymentWorker } from "../src/deployments/worker.ts";
import { createService } from "../src/services/services.ts";
import { createServiceInput } from "../src/services/service-input.ts";
import type { Actor } from "../src/teams/access.ts";
import { waitFor } from "./harness.ts";

/** A worker (not started) that the deps wake and cancel through. */
export function deploymentWorker(deps: Deps, concurrency = 1): DeploymentWorker {
  const worker = new DeploymentWorker(deps, { concurrency, pollMs: 200 });
  return worker;
}

/** The deployment row once it reached a terminal status. */
export async function finishedDeployment(deps: Pick<Deps, "db">, deploymentId: string, timeoutMs = 90_000) {
  return waitFor(
    `deployment ${deploymentId} to finish`,
    async () => {
      const d = await deps.db.deployment.findUniqueOrThrow({ where: { id: deploymentId } });
      return isTerminalStatus(d.status) ? d : null;
    },
    timeoutMs,
  );
}

/** Let services use loopback / file sources (the fixtures live on 127.0.0.1). */
export async function allowLocalSources(deps: Pick<Deps, "db">, allowed: boolean): Promise<void> {
  await deps.db.instanceSettings.upsert({
    where: { id: 1 },
    create: { id: 1, allowLocalSources: allowed },
    update: { allowLocalSources: allowed },
  });
}

/** A git service in a new project of the team; returns its id. */
export async function createGitService(
  deps: Deps,
  actor: Actor,
  teamId: string,
  git: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Promise<{ serviceId: string; projectId: string }> {
  const project = await deps.db.project.create({ data: { teamId, name: `git-${randomUUID().slice(0, 8)}` } });
  const input = createServiceInput.parse({
    projectId: project.id,
    name: `app-${randomUUID().slice(0, 8)}`,
    source: "git",
    git,
    containerPort: 8080,
    ...extra,
  });
  const { id } = await createService(deps, actor, input);
  return { serviceId: id, projectId: project.id };
}

/** Remove a test service's containers, network, release tags and build images. */
export async function removeServiceEverywhere(deps: Pick<Deps, "engine">, serviceId: string): Promise<void> {
  await deps.engine.removeService(serviceId);
  await deps.engine.removeRepositoryImages(buildRepository(serviceId));
}
