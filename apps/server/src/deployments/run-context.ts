import type { Deployment, Service } from "@berth/db";
import type { Deps } from "../deps.ts";
import type { DeployEnv } from "../secrets/env-store.ts";
import { CancelledError, StageTimeoutError } from "./failure.ts";
import type { BuildLogSink } from "./log-sink.ts";
import type { Stage } from "./stage-timeouts.ts";

export type RunDeps = Pick<Deps, "db" | "engine" | "log" | "env" | "events" | "proxy" | "box" | "queue">;

export interface RunContext {
  deps: RunDeps;
  deployment: Deployment;
  service: Service & { project: { id: string; name: string; teamId: string } };
  sink: BuildLogSink;
  /**
   * The service's variables, opened once when the run starts: secret values to redact, build
   * args and build secrets. (The release's runtime env comes from the enqueue-time snapshot.)
   */
  variables: DeployEnv;
  /** Aborted when a user cancels this deployment. */
  cancel: AbortSignal;
  timeoutsMs: Record<Stage, number>;
}

/**
 * Run one stage with its deadline. The stage gets a signal that aborts on cancel or timeout
 * (git and the engine's build stop on it); the outcome is a StageTimeoutError or a
 * CancelledError rather than whatever the aborted operation threw.
 */
export async function withStage<T>(ctx: RunContext, stage: Stage, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (ctx.cancel.aborted) throw new CancelledError();
  const ms = ctx.timeoutsMs[stage];
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), ms);
  const signal = AbortSignal.any([ctx.cancel, deadline.signal]);
  try {
    return await work(signal);
  } catch (err) {
    if (ctx.cancel.aborted) throw new CancelledError();
    if (deadline.signal.aborted) throw new StageTimeoutError(stage, ms / 1000);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

/** Move an in-progress deployment to its next status (only if it is still where we left it). */
export async function advance(
  ctx: RunContext,
  from: Deployment["status"],
  to: Deployment["status"],
  data: Record<string, unknown> = {},
): Promise<void> {
  // The next stage starts now: with the finished stages' durations, the dashboard's stage progress.
  const row = { ...data, stageStartedAt: new Date() };
  const { count } = await ctx.deps.db.deployment.updateMany({
    where: { id: ctx.deployment.id, status: from },
    data: { ...row, status: to },
  });
  if (count === 0) throw new CancelledError("The deployment was ended elsewhere (cancelled or recovered)");
  ctx.deployment = { ...ctx.deployment, ...row, status: to } as Deployment;
  ctx.deps.events.publishStatus({
    deploymentId: ctx.deployment.id,
    serviceId: ctx.service.id,
    teamId: ctx.service.project.teamId,
    status: to,
  });
}
