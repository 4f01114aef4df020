/**
 * A job's deployment (a stack service others depend on with service_completed_successfully):
 * instead of starting a release, run the new image once to completion with the release's own
 * command, as a one-off run (trigger job: its output kept and listed with the service's runs,
 * and in the deployment log). Exit 0 is a succeeded deployment that released nothing (no
 * Release row; the service stays stopped, so nothing restarts, routes or reconciles it); any
 * other end fails the deployment with the job's name and exit code.
 */
import { join as joinCommandLine } from "shlex";
import { CancelledError } from "./failure.ts";
import type { ReleaseConfig } from "./release-config.ts";
import type { RunContext } from "./run-context.ts";
import { runInDeployment, type ReleaseImage } from "./deployment-run.ts";

export async function runJob(ctx: RunContext, config: ReleaseConfig, image: ReleaseImage, started: number): Promise<void> {
  const { deps, service, deployment, sink } = ctx;
  const command = [...(config.runtime.entrypoint ?? []), ...(config.runtime.command ?? [])];
  sink.system(`Job: running ${command.length > 0 ? joinCommandLine(command) : "the image's own command"} to completion`);
  const end = await runInDeployment(ctx, config, image, { trigger: "job", argv: null, command });
  if (end.status === "cancelled") throw new CancelledError();
  if (end.status !== "succeeded") {
    const how =
      end.status === "timed_out"
        ? `did not finish within ${end.timeoutS} s`
        : end.exitCode === null
          ? `failed: ${end.error ?? "unknown error"}`
          : `exited with code ${end.exitCode}`;
    throw new Error(`The job ${service.name} ${how}; the services that wait for it were not deployed and the running ones keep serving`);
  }
  // A service that ran as a long-lived release before it became a job keeps no container.
  for (const c of await deps.engine.listManaged({ serviceId: service.id })) await deps.engine.removeContainer(c.containerId);
  sink.system(`Job ${service.name} completed (exit 0) in ${(end.durationMs / 1000).toFixed(1)} s`);
  await sink.flush();
  await deps.db.$transaction(async (tx) => {
    const { count } = await tx.deployment.updateMany({
      where: { id: deployment.id, status: "releasing" },
      data: { status: "succeeded", finishedAt: new Date(), error: null, releaseMs: Date.now() - started },
    });
    if (count === 0) throw new Error("The deployment was ended elsewhere while its job ran");
    await tx.service.update({ where: { id: service.id }, data: { desiredState: "stopped" } });
  });
  deps.events.publishStatus({ deploymentId: deployment.id, serviceId: service.id, teamId: service.project.teamId, status: "succeeded" });
}
