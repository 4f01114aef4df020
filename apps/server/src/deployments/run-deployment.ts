import { isEngineError } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { isRecordMissing } from "../db-errors.ts";
import { envToRecord, envFromJson } from "../services/service-input.ts";

/** A readable failure reason: the engine's message plus the container's last log lines. */
export function describeFailure(err: unknown): string {
  if (!isEngineError(err)) return err instanceof Error ? err.message : String(err);
  const logs = err.details?.logs ?? [];
  if (logs.length === 0) return err.message;
  return `${err.message}\nLast log lines:\n${logs.slice(-15).join("\n")}`;
}

/**
 * Run one claimed deployment (status already `deploying`): start the new release beside the
 * old one, wait for it to accept connections, record it as running, then retire the old.
 * A failure leaves the previous release serving and records why.
 */
export async function runDeployment(deps: Pick<Deps, "db" | "engine" | "log" | "env">, deploymentId: string): Promise<void> {
  const { db, engine } = deps;
  const log = deps.log.child({ deploymentId });
  const deployment = await db.deployment.findUnique({
    where: { id: deploymentId },
    include: { service: { include: { project: { select: { id: true, teamId: true } } } } },
  });
  if (!deployment) return;
  const { service } = deployment;
  let release;
  try {
    release = await engine.runRelease({
      owner: { teamId: service.project.teamId, projectId: service.project.id, serviceId: service.id },
      deploymentId,
      serviceName: service.name,
      image: deployment.image,
      containerPort: service.containerPort,
      env: envToRecord(envFromJson(service.env)),
    }, { readyTimeoutMs: deps.env.BERTH_READY_TIMEOUT_S * 1000 });
  } catch (err) {
    log.warn({ err: describeFailure(err) }, "deployment failed");
    await db.deployment.updateMany({
      where: { id: deploymentId, status: "deploying" },
      data: { status: "failed", error: describeFailure(err), finishedAt: new Date() },
    });
    return;
  }
  try {
    await db.$transaction([
      db.deployment.updateMany({
        where: { serviceId: service.id, status: "running", id: { not: deploymentId } },
        data: { status: "stopped" },
      }),
      db.deployment.update({
        where: { id: deploymentId },
        data: { status: "running", containerId: release.containerId, hostPort: release.hostPort, finishedAt: new Date(), error: null },
      }),
      db.service.update({ where: { id: service.id }, data: { desiredState: "running" } }),
    ]);
  } catch (err) {
    // The service was deleted while it deployed: nothing may be left running for it.
    if (isRecordMissing(err)) {
      await engine.removeService(service.id);
      return;
    }
    throw err;
  }
  await engine.removeOtherReleases(service.id, deploymentId);
  log.info({ serviceId: service.id, hostPort: release.hostPort }, "deployment running");
}
