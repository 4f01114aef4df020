/**
 * Recreate a live release's containers from its snapshot (deployment/release config) with the
 * release's own image tag, through the engine's ensureService (`deps.engine`: the engine the
 * service is placed on): a complete, healthy release of that deployment is kept, anything less
 * is recreated (network and volumes ensured -- volumes are never removed), and every other
 * release of the service is retired.
 */
import { buildReleaseImageRef } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { openReleaseConfig } from "../deployments/release-config.ts";
import { buildReleaseSpec } from "../deployments/release-spec.ts";
import { releasePorts } from "../proxy/upstream-ports.ts";

export type RecreateDeps = Pick<Deps, "db" | "engine" | "env" | "proxy" | "box">;

export async function recreateRelease(deps: RecreateDeps, serviceId: string, deploymentId: string): Promise<{ containers: string[] }> {
  const deployment = await deps.db.deployment.findUniqueOrThrow({
    where: { id: deploymentId },
    select: {
      config: true,
      release: { select: { number: true, config: true } },
      service: {
        select: { id: true, name: true, proxyPort: true, serverId: true, project: { select: { id: true, name: true, teamId: true } } },
      },
    },
  });
  const { service, release } = deployment;
  const config = openReleaseConfig(release?.config ?? deployment.config, deps.box);
  if (config === null) throw new Error("The release has no configuration snapshot to recreate it from");
  // The release's own upstream ports: the proxy's routes already list them.
  const upstream =
    deps.proxy && config.kind === "web" && service.proxyPort !== null && release
      ? releasePorts(service.proxyPort, config.replicas, release.number)
      : undefined;
  const spec = buildReleaseSpec(
    {
      service: { id: serviceId, name: service.name },
      project: service.project,
      deploymentId,
      image: buildReleaseImageRef(serviceId, deploymentId).ref,
      ...(upstream ? { upstreamPorts: upstream } : {}),
    },
    config,
  );
  // On a standalone server (deps.engine is its engine) published as its deployment did (run-deployment.ts).
  const placed = service.serverId === null ? spec : { ...spec, publishHostIp: "0.0.0.0" };
  const result = await deps.engine.ensureService(placed, {
    readyTimeoutMs: (deps.env.BERTH_READY_TIMEOUT_S + config.runtime.healthCheck.startPeriodS) * 1000,
    strategy: config.strategy === "stop_first" ? "stop-first" : "start-first",
  });
  const { containerId, hostPort } = result.release;
  await deps.db.deployment.update({ where: { id: deploymentId }, data: { containerId, hostPort } });
  return { containers: (result.release.replicas ?? [result.release]).map((r) => r.containerName) };
}
