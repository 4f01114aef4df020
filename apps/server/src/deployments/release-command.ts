/**
 * The service's release command (e.g. `npx prisma migrate deploy`): run as a one-off from the
 * NEW release's image with the new release's configuration, after the build and before the
 * release starts. Its output goes into the deployment log (and its run record); anything but
 * exit 0 fails the deployment before the old release is touched.
 */
import { join as joinCommandLine } from "shlex";
import type { RegistryAuth } from "@berth/engine";
import { executeRun } from "../one-offs/execute-run.ts";
import { oneOffSpecOf } from "../one-offs/run-target.ts";
import { redactionNeedles } from "../secrets/redaction.ts";
import { CancelledError } from "./failure.ts";
import type { ReleaseConfig } from "./release-config.ts";
import type { RunContext } from "./run-context.ts";

export async function runReleaseCommand(ctx: RunContext, config: ReleaseConfig, image: { ref: string; pull: "missing" | "always"; registryAuth?: RegistryAuth }): Promise<void> {
  const argv = config.runtime.releaseCommand;
  if (argv === null) return;
  const { deps, service, deployment, sink } = ctx;
  if (image.pull === "always") {
    // The release pulls again (with its own fallback to a local copy); here a failed pull leaves the local copy to run.
    await deps.engine.ensureImage(image.ref, { pull: "always", timeoutMs: ctx.timeoutsMs.start, ...(image.registryAuth ? { registryAuth: image.registryAuth } : {}) }).catch(() => undefined);
  }
  const timeoutS = Math.round(ctx.timeoutsMs.build / 1000);
  sink.system(`Release command: ${joinCommandLine(argv)}`);
  const run = await deps.db.oneOffRun.create({
    data: { serviceId: service.id, trigger: "release", deploymentId: deployment.id, command: argv, actorId: deployment.actorId, timeoutS },
    select: { id: true },
  });
  const target = { service, project: service.project, deploymentId: deployment.id, image: image.ref, config };
  const end = await executeRun(deps, { id: run.id, timeoutS }, oneOffSpecOf(target, run.id, argv), {
    needles: redactionNeedles(ctx.variables.secretValues),
    onLine: (stream, line) => sink.write(stream, line),
    signal: ctx.cancel,
  });
  if (end.status === "succeeded") return void sink.system(`Release command finished in ${(end.durationMs / 1000).toFixed(1)} s`);
  if (end.status === "cancelled") throw new CancelledError();
  throw new Error(`The release command ${end.status === "timed_out" ? `did not finish within ${timeoutS} s` : end.exitCode === null ? `failed: ${end.error ?? "unknown error"}` : `exited with code ${end.exitCode}`}; the release did not go live and the previous release keeps serving`);
}
