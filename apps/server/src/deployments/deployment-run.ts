/**
 * A command run to completion inside a deployment -- the release command, a stack job -- as a
 * one-off from the NEW release's image with the new release's configuration: recorded as a run
 * (its output kept and listed with the service's runs) and written into the deployment log.
 */
import type { OneOffTrigger } from "@berth/db";
import type { RegistryAuth } from "@berth/engine";
import { executeRun, type RunEnd } from "../one-offs/execute-run.ts";
import { oneOffSpecOf } from "../one-offs/run-target.ts";
import { redactionNeedles } from "../secrets/redaction.ts";
import type { ReleaseConfig } from "./release-config.ts";
import type { RunContext } from "./run-context.ts";

export interface ReleaseImage {
  ref: string;
  pull: "missing" | "always";
  registryAuth?: RegistryAuth;
}

export interface DeploymentRun {
  trigger: Extract<OneOffTrigger, "release" | "job">;
  /** What runs; null: the release's own entrypoint and command (the image's where unset). */
  argv: string[] | null;
  /** What the run record shows as its command. */
  command: string[];
}

export async function runInDeployment(
  ctx: RunContext,
  config: ReleaseConfig,
  image: ReleaseImage,
  what: DeploymentRun,
): Promise<RunEnd & { timeoutS: number }> {
  const { deps, service, deployment, sink } = ctx;
  if (image.pull === "always") {
    // The release pulls again (with its own fallback to a local copy); here a failed pull leaves the local copy to run.
    await deps.engine
      .ensureImage(image.ref, {
        pull: "always",
        timeoutMs: ctx.timeoutsMs.start,
        ...(image.registryAuth ? { registryAuth: image.registryAuth } : {}),
      })
      .catch(() => undefined);
  }
  const timeoutS = Math.round(ctx.timeoutsMs.build / 1000);
  const run = await deps.db.oneOffRun.create({
    data: {
      serviceId: service.id,
      trigger: what.trigger,
      deploymentId: deployment.id,
      command: what.command,
      actorId: deployment.actorId,
      timeoutS,
    },
    select: { id: true },
  });
  const target = { service, project: service.project, deploymentId: deployment.id, image: image.ref, config };
  const end = await executeRun(deps, { id: run.id, timeoutS }, oneOffSpecOf(target, run.id, what.argv), {
    needles: redactionNeedles(ctx.variables.secretValues),
    onLine: (stream, line) => sink.write(stream, line),
    signal: ctx.cancel,
  });
  return { ...end, timeoutS };
}
