/** What a one-off runs as: a release's image and configuration (env, network, volumes, limits). */
import { buildReleaseImageRef, type OneOffSpec } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { DomainError } from "../errors.ts";
import { findLiveDeployment } from "../deployments/live-release.ts";
import { openReleaseConfig, type ReleaseConfig } from "../deployments/release-config.ts";
import { buildReleaseSpec } from "../deployments/release-spec.ts";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import { redactionNeedles } from "../secrets/redaction.ts";

export interface RunTarget {
  service: { id: string; name: string; projectId: string };
  project: { id: string; name: string; teamId: string };
  deploymentId: string;
  image: string;
  config: ReleaseConfig;
}

type ServiceWithProject = { id: string; name: string; projectId: string; project: { id: string; name: string; teamId: string } };

/**
 * The service's live release as a run target: its own per-release image tag and its snapshot's
 * configuration (the variables it resolved at deploy time). A service that never went live has none.
 */
export async function liveRunTarget(deps: Pick<Deps, "db" | "env" | "box">, service: ServiceWithProject): Promise<RunTarget> {
  const live = await findLiveDeployment(deps.db, service.id);
  const config = live ? openReleaseConfig(live.config, deps.box) : null;
  if (!live || !config) {
    throw new DomainError(
      "CONFLICT",
      `${service.name} has no live release yet: deploy it first (a one-off runs in a new container of the live release)`,
    );
  }
  return { service, project: service.project, deploymentId: live.id, image: buildReleaseImageRef(service.id, live.id).ref, config };
}

/** The engine's spec for a run of `argv` (null: the release's own command) on `target`. Workers and web services alike: no port is published. */
export function oneOffSpecOf(target: RunTarget, runId: string, argv: string[] | null): OneOffSpec {
  const release = buildReleaseSpec(
    {
      service: { id: target.service.id, name: target.service.name },
      project: target.project,
      deploymentId: target.deploymentId,
      image: target.image,
    },
    target.config,
  );
  return { release, runId, argv };
}

/** What to mask in a run's output: the service's secret values (and their base64 forms). */
export async function secretNeedles(deps: Pick<Deps, "db" | "env" | "box">, service: { id: string; projectId: string }): Promise<string[]> {
  const { secretValues } = await resolveDeployEnv(deps.db, deps.box, { projectId: service.projectId, serviceId: service.id });
  return redactionNeedles(secretValues);
}
