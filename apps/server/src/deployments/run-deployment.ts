import { DomainError } from "../errors.ts";
import { cloneAndBuild } from "./build-stage.ts";
import { CancelledError, classifyFailure } from "./failure.ts";
import { retainImagesAfterSuccess } from "./image-retention.ts";
import { retireOldRelease } from "./retire-old-release.ts";
import { recordRelease } from "./record-release.ts";
import { BuildLogSink } from "./log-sink.ts";
import { buildReleaseImageRef, type Handover } from "@berth/engine";
import { currentReleaseConfig, openReleaseConfig, type ReleaseConfig } from "./release-config.ts";
import { resolveDeployEnv } from "../secrets/env-store.ts";
import { openSealed } from "../secrets/service-secrets.ts";
import type { RunContext, RunDeps } from "./run-context.ts";
import { stageTimeoutsMs } from "./stage-timeouts.ts";
import { ACTIVE_STATUSES } from "./statuses.ts";
import { blockSizeFor, ensureUpstreamPorts, releasePorts, type UpstreamBlock } from "../proxy/upstream-ports.ts";
import { buildReleaseSpec } from "./release-spec.ts";
import { runReleaseCommand } from "./release-command.ts";
import { runJob } from "./run-job.ts";
import type { ReleaseImage } from "./deployment-run.ts";
import { MAX_REPLICAS } from "../services/runtime-settings.ts";
import { registryAuthFor } from "../registries/registry-credentials.ts";
import { getSettings } from "../instance/settings.ts";
import { releaseOnCluster } from "../cluster/cluster-release.ts";
import { REMOTE_JOB } from "../cluster/service-placement.ts";
import { assertAnswers, dialAddress, serviceEngineOf, type ServiceEngine } from "../servers/standalone-server.ts";
import { bringImageTo } from "./remote-image.ts";
import type { ClaimedDeployment } from "./claim.ts";

export { describeFailure } from "./failure.ts";

/**
 * Start the release (start-first: beside the old one, health-gated, on the service's free
 * upstream ports; stop-first: after stopping the old one, which comes back if the new one
 * fails), hand over (the proxy already routes every upstream port: wait until the old ones
 * have no request in flight), record it (a numbered Release with its whole configuration), then
 * retire the old release (retire-old-release.ts) and apply image retention (`built`: this
 * deployment built its image, so the builder's cache grew). A job runs once instead and is
 * retained by its succeeded runs. Any failure before the record leaves the old release serving.
 */
async function release(ctx: RunContext, built: boolean): Promise<void> {
  const { deps, service, deployment, sink } = ctx;
  const box = deps.box;
  const config = openReleaseConfig(deployment.config, box) ?? (await currentReleaseConfig(deps.db, box, service));
  const started = Date.now();
  // Checked at every release: an owner who turns host access off stops it reaching new containers.
  if (config.hostAccess !== undefined && !(await getSettings(deps.db)).allowHostAccess) {
    throw new DomainError(
      "FORBIDDEN",
      `${service.name} has powers over the host from its compose file (${Object.keys(config.hostAccess).join(", ")}), and host access for compose stacks is off on this instance: only the instance owner can allow it in Settings`,
    );
  }
  // One deployment per service runs at a time, so the next release number is stable until it is
  // recorded (the unique (serviceId, number) index guards it anyway): read beside the image's.
  const [image, number] = await Promise.all([imageToRun(ctx), nextReleaseNumber(ctx)]);
  if (ctx.cancel.aborted) throw new CancelledError();
  if (service.job && service.serverId !== null) throw new DomainError("INVALID", REMOTE_JOB);
  if (service.job) {
    await runJob(ctx, config, image, started);
    return retainImagesAfterSuccess(deps, service, built);
  }
  if (service.placement === "cluster") {
    await releaseToCluster(ctx, config, image, started, number);
    // Its builds live on Berth's engine (shipped to the nodes through the cluster registry).
    return retainImagesAfterSuccess(deps, service, built);
  }
  // Berth's own engine, or the standalone server the service is placed on (servers/standalone-server.ts).
  const target = await serviceEngineOf(deps, service);
  // Before anything of the old release is touched: a failure here leaves it serving.
  if (target.server) await prepareRemote(ctx, target, config, image);
  else await runReleaseCommand(ctx, config, image);
  sink.system(`Starting ${deployment.image}${describeRelease(config)}${target.server ? ` on ${target.server.name}` : ""}`);
  if (ctx.cancel.aborted) throw new CancelledError();
  const block = config.kind === "web" ? await upstreamBlockFor(ctx, config.replicas) : null;
  // Ends the proxy's hold on the old release's ports once it is stopped (or the release failed).
  let releaseOldPorts = (): void => undefined;
  const onHandover = async ({ release: healthy, previous }: Handover): Promise<void> => {
    if (ctx.cancel.aborted) throw new CancelledError();
    const ports = (healthy.replicas ?? [healthy]).flatMap((r) => (r.hostPort === null ? [] : [dialAddress(target.host, r.hostPort)]));
    sink.system(ports.length > 0 ? `Healthy: accepting connections on ${ports.join(", ")}` : "Healthy");
    if (deps.proxy && block) {
      // A new (larger) block of ports must be in the proxy's config before traffic moves.
      if (block.changed) await deps.proxy.apply();
      // Every upstream port of the service is already routed: wait for the old ones to go idle.
      const old = previous.flatMap((c) => (c.hostPort === null ? [] : [dialAddress(target.host, c.hostPort)]));
      releaseOldPorts = await deps.proxy.handover(service.id, old, ports);
      // A first deploy has no old release: nothing drained.
      sink.system(old.length > 0 ? "Proxy: the old release drained" : "Proxy: routing to the new release");
    }
  };
  const releaseSpec = buildReleaseSpec(
    {
      service: { id: service.id, name: service.name },
      project: { id: service.project.id, name: service.project.name, teamId: service.project.teamId },
      deploymentId: deployment.id,
      image: image.ref,
      ...(block ? { upstreamPorts: releasePorts(block.base, config.replicas, number) } : {}),
    },
    config,
  );
  // On a remote server the proxy reaches the port over the network (the firewall keeps others out).
  const spec = target.server ? { ...releaseSpec, publishHostIp: "0.0.0.0" } : releaseSpec;
  try {
    // Not wrapped in withStage: the engine enforces both deadlines itself (start = image pull,
    // health = the readiness gate) and removes its container on failure, so nothing it starts
    // can outlive a stage that gave up on it.
    const instance = await target.engine.replaceRelease(spec, {
      pullTimeoutMs: ctx.timeoutsMs.start,
      // A start period (failures do not count) extends the health stage by as much.
      readyTimeoutMs: ctx.timeoutsMs.health + config.runtime.healthCheck.startPeriodS * 1000,
      onHandover,
      signal: ctx.cancel,
      strategy: config.strategy === "stop_first" ? "stop-first" : "start-first",
      // A remote server already has it (prepareRemote).
      pull: target.server ? "missing" : image.pull,
      ...(image.registryAuth ? { registryAuth: image.registryAuth } : {}),
    });
    for (const warning of instance.warnings ?? []) sink.system(`Warning: ${warning}`);
    // Recorded first, retired after (retire-old-release.ts): live as soon as traffic moved. (A
    // service being deleted stops its deployment before it goes: services/services.ts.)
    await recordRelease(ctx, { config, instance, number, releaseMs: Date.now() - started, retiring: true });
    // A first release (or one after a stop) makes the service's domains route to it now.
    await deps.proxy?.apply().catch((err: unknown) => deps.log.warn({ err: String(err) }, "edge proxy apply failed; the watcher retries"));
    deps.events.publishStatus({ deploymentId: deployment.id, serviceId: service.id, teamId: service.project.teamId, status: "succeeded" });
    await retireOldRelease(ctx, target.engine);
  } finally {
    releaseOldPorts();
  }
  // The deployment is live: pruning old images must not reach the failure path.
  // Only a build grew the builder's cache.
  await retainImagesAfterSuccess(deps, service, built, target.server ? target.engine : undefined);
}

/**
 * Before a release on a standalone remote server: the server answers (else the deployment fails
 * with the reason while the previous release keeps serving) and has the image.
 */
async function prepareRemote(ctx: RunContext, target: ServiceEngine, config: ReleaseConfig, image: ReleaseImage): Promise<void> {
  const name = target.server?.name ?? "";
  if (config.runtime.releaseCommand)
    throw new DomainError(
      "INVALID",
      `Release commands do not run on a remote server yet (${name}): remove it or place the service on Berth's own server`,
    );
  await assertAnswers(target);
  await bringImageTo(ctx, target.engine, name, image);
}

/** A service placed on the cluster: a Swarm service, recorded like any release (no container or proxy port here). */
async function releaseToCluster(
  ctx: RunContext,
  config: ReleaseConfig,
  image: ReleaseImage,
  started: number,
  number: number,
): Promise<void> {
  const { deps, service, deployment } = ctx;
  await releaseOnCluster(ctx, config, image);
  const instance = { containerId: null, hostPort: null, imageId: null, repoDigest: null };
  await recordRelease(ctx, { config, instance, number, releaseMs: Date.now() - started });
  deps.events.publishStatus({ deploymentId: deployment.id, serviceId: service.id, teamId: service.project.teamId, status: "succeeded" });
}

function describeRelease(config: ReleaseConfig): string {
  const parts = [config.kind === "worker" ? "worker" : `${config.kind}, port ${config.containerPort}`];
  if (config.replicas > 1) parts.push(`${config.replicas} replicas`);
  parts.push(config.strategy === "stop_first" ? "stop-first" : "start-first");
  if (config.volumes.length > 0) parts.push(`${config.volumes.length} volume${config.volumes.length === 1 ? "" : "s"}`);
  return ` (${parts.join(", ")})`;
}

/**
 * What the engine runs: a rollback re-releases the exact image of that release (its
 * per-release tag, never a tag that moved since); an image service pulls its tag anew on every
 * deploy (with the team's registry credentials); a git build is local.
 */
async function imageToRun(ctx: RunContext): Promise<ReleaseImage> {
  const { deps, deployment, service } = ctx;
  if (deployment.rollbackOfId) {
    const of = await deps.db.release.findUnique({ where: { id: deployment.rollbackOfId }, select: { deploymentId: true } });
    return { ref: of ? buildReleaseImageRef(service.id, of.deploymentId).ref : deployment.image, pull: "missing" };
  }
  if (service.sourceType === "git") return { ref: deployment.image, pull: "missing" };
  const registryAuth = await registryAuthFor(deps, service.project.teamId, deployment.image);
  return { ref: deployment.image, pull: "always", ...(registryAuth ? { registryAuth } : {}) };
}

/**
 * With an edge proxy, each replica slot i of a web service has two ports and releases
 * alternate between them (release N on base + 2i + N % 2): the new one never collides with
 * the live one, and the proxy's config lists all of them, so a redeploy needs no proxy reload
 * (Caddy 2.6 drops in-flight requests on reloads).
 */
async function upstreamBlockFor(ctx: RunContext, replicas: number): Promise<UpstreamBlock | null> {
  const { deps, service } = ctx;
  if (!deps.proxy) return null;
  return ensureUpstreamPorts(deps.db, service.id, deps.env.BERTH_PROXY_UPSTREAM_PORTS, blockSizeFor(replicas, MAX_REPLICAS));
}

async function nextReleaseNumber(ctx: RunContext): Promise<number> {
  const last = await ctx.deps.db.release.aggregate({ where: { serviceId: ctx.service.id }, _max: { number: true } });
  return (last._max.number ?? 0) + 1;
}

/**
 * Run one claimed deployment (status cloning, or releasing for images and rollbacks)
 * through its stages. Any failure leaves the previous release serving, removes this
 * deployment's container, and records failed / timed_out / cancelled with a reason.
 */
export async function runDeployment(
  deps: RunDeps,
  claimed: Pick<ClaimedDeployment, "id" | "serviceId" | "projectId">,
  cancel: AbortSignal = new AbortController().signal,
): Promise<void> {
  const { id: deploymentId, serviceId, projectId } = claimed;
  const box = deps.box;
  // Independent reads, side by side (the claim named the service and its project): one round
  // trip's wait before the first stage instead of one per read.
  const [deployment, service, lastLine, variables] = await Promise.all([
    deps.db.deployment.findUnique({ where: { id: deploymentId } }),
    deps.db.service.findUnique({ where: { id: serviceId }, include: { project: { select: { id: true, name: true, teamId: true } } } }),
    deps.db.buildLogLine.aggregate({ where: { deploymentId }, _max: { seq: true } }),
    resolveDeployEnv(deps.db, box, { projectId, serviceId }),
  ]);
  if (!deployment || !service) return;
  const firstSeq = lastLine._max.seq;
  const redact = [
    openSealed(box, service.gitToken),
    openSealed(box, service.deployKeyPrivate),
    openSealed(box, service.webhookSecret),
    ...variables.secretValues,
  ].filter((s): s is string => !!s);
  const sink = new BuildLogSink({
    db: deps.db,
    log: deps.log,
    events: deps.events,
    deploymentId,
    redact,
    firstSeq: firstSeq === null ? 0 : firstSeq + 1,
  });
  const defaults = { health: deps.env.BERTH_READY_TIMEOUT_S };
  const ctx: RunContext = { deps, deployment, service, sink, variables, cancel, timeoutsMs: stageTimeoutsMs(service, defaults) };
  const log = deps.log.child({ deploymentId, serviceId: service.id });
  try {
    // What the claim made of it: a git deployment starts `cloning` (ctx.deployment moves on with its stages).
    const built = deployment.status === "cloning";
    if (built) {
      // Build-time variables are resolved now (run-time ones were at enqueue): a reference that
      // broke since then fails the build instead of passing its text on.
      if (variables.problems.length > 0) throw new DomainError("INVALID", `Cannot build: ${variables.problems.join("; ")}`);
      await cloneAndBuild(ctx);
    }
    await release(ctx, built);
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
    if (count > 0) deps.events.publishStatus({ deploymentId, serviceId: service.id, teamId: service.project.teamId, status });
    await removeContainersOf(deps, service, deploymentId).catch((err: unknown) =>
      log.warn({ err: String(err) }, "could not remove the failed deployment's containers"),
    );
  } finally {
    await sink.flush();
  }
}

async function removeContainersOf(deps: RunDeps, service: { id: string; serverId: string | null }, deploymentId: string): Promise<void> {
  const { engine } = await serviceEngineOf(deps, service);
  const containers = await engine.listManaged({ serviceId: service.id });
  for (const c of containers.filter((c) => c.deploymentId === deploymentId)) await engine.removeContainer(c.containerId);
}
