import { isRecordMissing } from "../db-errors.ts";
import { cloneAndBuild } from "./build-stage.ts";
import { CancelledError, classifyFailure } from "./failure.ts";
import { retainImagesAfterSuccess } from "./image-retention.ts";
import { BuildLogSink } from "./log-sink.ts";
import type { Handover } from "@berth/engine";
import { currentReleaseConfig, openReleaseConfig, sealReleaseConfig, type ReleaseConfig } from "./release-config.ts";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import { openSealed } from "../secrets/service-secrets.ts";
import { sealedBoxOf } from "../secrets/sealed-box.ts";
import type { RunContext, RunDeps } from "./run-context.ts";
import { stageTimeoutsMs } from "./stage-timeouts.ts";
import { ACTIVE_STATUSES } from "./statuses.ts";
import { ensureUpstreamPorts } from "../proxy/upstream-ports.ts";

export { describeFailure } from "./failure.ts";

/**
 * Start the release beside the old one (health-gated) on the service's free upstream port,
 * hand over (the proxy already routes both ports: wait until the old one has no request in
 * flight), then the engine stops and removes the old release; then record it (a numbered
 * Release). Any failure before the hand-over leaves the old release serving.
 */
async function release(ctx: RunContext): Promise<void> {
  const { deps, service, deployment, sink } = ctx;
  const box = sealedBoxOf(deps.env);
  const config = openReleaseConfig(deployment.config, box) ?? (await currentReleaseConfig(deps.db, box, service));
  const started = Date.now();
  sink.system(`Starting ${deployment.image} (port ${config.containerPort})`);
  if (ctx.cancel.aborted) throw new CancelledError();
  const primaryHostPort = await upstreamPortFor(ctx);
  const onHandover = async ({ release: healthy, previous }: Handover): Promise<void> => {
    if (ctx.cancel.aborted) throw new CancelledError();
    sink.system(`Healthy: accepting connections on 127.0.0.1:${healthy.hostPort}`);
    if (deps.proxy) {
      // Both upstream ports of the service are already routed: wait for the old one to go idle.
      const old = previous.flatMap((c) => (c.hostPort === null ? [] : [`127.0.0.1:${c.hostPort}`]));
      await deps.proxy.handover(old, [`127.0.0.1:${healthy.hostPort}`]);
      // A first deploy has no old release: nothing drained.
      sink.system(old.length > 0 ? "Proxy: the old release drained" : "Proxy: routing to the new release");
    }
  };
  // Not wrapped in withStage: the engine enforces both deadlines itself (start = image pull,
  // health = the readiness gate) and removes its container on failure, so nothing it starts
  // can outlive a stage that gave up on it.
  const instance = await deps.engine.replaceRelease(
      {
        owner: { teamId: service.project.teamId, projectId: service.project.id, serviceId: service.id },
        deploymentId: deployment.id,
        serviceName: service.name,
        image: deployment.image,
        containerPort: config.containerPort,
        env: config.env,
        ...(primaryHostPort === undefined ? {} : { primaryHostPort }),
      },
    { pullTimeoutMs: ctx.timeoutsMs.start, readyTimeoutMs: ctx.timeoutsMs.health, onHandover, retainImages: false, signal: ctx.cancel },
  );
  try {
    await recordRelease(ctx, { config, containerId: instance.containerId, hostPort: instance.hostPort, releaseMs: Date.now() - started });
  } catch (err) {
    // The service was deleted while it deployed: nothing may be left running for it.
    if (isRecordMissing(err)) return void (await deps.engine.removeService(service.id));
    throw err;
  }
  // A first release (or one after a stop) makes the service's domains route to it now.
  await deps.proxy?.apply().catch((err: unknown) => deps.log.warn({ err: String(err) }, "edge proxy apply failed; the watcher retries"));
  deps.events.publishStatus({ deploymentId: deployment.id, serviceId: service.id, status: "succeeded" });
  // The deployment is live: pruning old images must not reach the failure path.
  await retainImagesAfterSuccess(deps, service.id);
}

/**
 * With an edge proxy, releases alternate between the service's two upstream ports (release
 * N on P + N % 2): the new one never collides with the live one, and the proxy's config lists
 * both, so a redeploy needs no proxy reload (Caddy 2.6 drops in-flight requests on reloads).
 */
async function upstreamPortFor(ctx: RunContext): Promise<number | undefined> {
  const { deps, service } = ctx;
  if (!deps.proxy) return undefined;
  const base = await ensureUpstreamPorts(deps.db, service.id, deps.env.BERTH_PROXY_UPSTREAM_PORTS);
  const last = await deps.db.release.aggregate({ where: { serviceId: service.id }, _max: { number: true } });
  return base + (((last._max.number ?? 0) + 1) % 2);
}

/** One transaction: succeeded + the next Release number + desired state running. */
async function recordRelease(ctx: RunContext, r: { config: ReleaseConfig; containerId: string; hostPort: number; releaseMs: number }): Promise<void> {
  const { deps, service, deployment, sink } = ctx;
  // One deployment per service runs at a time, so the next number is stable; the unique
  // (serviceId, number) index guards it anyway.
  const last = await deps.db.release.aggregate({ where: { serviceId: service.id }, _max: { number: true } });
  const number = (last._max.number ?? 0) + 1;
  sink.system(`Release ${number} is live`);
  // Every line is stored before the status says the deployment ended: a viewer that sees
  // the end can read the whole log.
  await sink.flush();
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.deployment.updateMany({
      where: { id: deployment.id, status: "releasing" },
      data: { status: "succeeded", containerId: r.containerId, hostPort: r.hostPort, finishedAt: new Date(), error: null, releaseMs: r.releaseMs },
    });
    if (count === 0) throw new Error("The deployment was ended elsewhere while it released");
    await tx.release.create({ data: { serviceId: service.id, number, deploymentId: deployment.id, image: deployment.image, config: { ...sealReleaseConfig(r.config, sealedBoxOf(deps.env)) }, commitSha: deployment.commitSha } });
    await tx.service.update({ where: { id: service.id }, data: { desiredState: "running" } });
  });
}

/**
 * Run one claimed deployment (status cloning, or releasing for images and rollbacks)
 * through its stages. Any failure leaves the previous release serving, removes this
 * deployment's container, and records failed / timed_out / cancelled with a reason.
 */
export async function runDeployment(deps: RunDeps, deploymentId: string, cancel: AbortSignal = new AbortController().signal): Promise<void> {
  const row = await deps.db.deployment.findUnique({
    where: { id: deploymentId },
    include: { service: { include: { project: { select: { id: true, teamId: true } } } } },
  });
  if (!row) return;
  const { service, ...deployment } = row;
  const firstSeq = (await deps.db.buildLogLine.aggregate({ where: { deploymentId }, _max: { seq: true } }))._max.seq;
  const box = sealedBoxOf(deps.env);
  const variables = await resolveDeployEnv(deps.db, box, { projectId: service.projectId, serviceId: service.id });
  const redact = [openSealed(box, service.gitToken), openSealed(box, service.deployKeyPrivate), openSealed(box, service.webhookSecret), ...variables.secretValues].filter((s): s is string => !!s);
  const sink = new BuildLogSink({ db: deps.db, log: deps.log, events: deps.events, deploymentId, redact, firstSeq: firstSeq === null ? 0 : firstSeq + 1 });
  const defaults = { health: deps.env.BERTH_READY_TIMEOUT_S };
  const ctx: RunContext = { deps, deployment, service, sink, variables, cancel, timeoutsMs: stageTimeoutsMs(service, defaults) };
  const log = deps.log.child({ deploymentId, serviceId: service.id });
  try {
    if (deployment.status === "cloning") await cloneAndBuild(ctx);
    await release(ctx);
    log.info("deployment succeeded");
  } catch (err) {
    const failure = classifyFailure(err, cancel.aborted);
    const { status } = failure;
    // The reason may quote the release's last log lines: masked like every log line.
    const reason = sink.redact(failure.reason);
    log.warn({ status, reason }, "deployment did not succeed");
    sink.system(`Deployment ${status.replace("_", " ")}: ${reason}`);
    await sink.flush();
    const { count } = await deps.db.deployment.updateMany({
      where: { id: deploymentId, status: { in: [...ACTIVE_STATUSES] } },
      data: { status, error: reason, finishedAt: new Date() },
    });
    if (count > 0) deps.events.publishStatus({ deploymentId, serviceId: service.id, status });
    await removeContainersOf(deps, service.id, deploymentId);
  } finally {
    await sink.flush();
  }
}

async function removeContainersOf(deps: RunDeps, serviceId: string, deploymentId: string): Promise<void> {
  const containers = await deps.engine.listManaged({ serviceId });
  for (const c of containers.filter((c) => c.deploymentId === deploymentId)) await deps.engine.removeContainer(c.containerId);
}
