/**
 * The service's release command (e.g. `npx prisma migrate deploy`): run as a one-off from the
 * NEW release's image with the new release's configuration, after the build and before the
 * release starts. Its output goes into the deployment log (and its run record); anything but
 * exit 0 fails the deployment before the old release is touched.
 */
import { join as joinCommandLine } from "shlex";
import { CancelledError } from "./failure.ts";
import type { ReleaseConfig } from "./release-config.ts";
import type { RunContext } from "./run-context.ts";
import { runInDeployment, type ReleaseImage } from "./deployment-run.ts";

export async function runReleaseCommand(ctx: RunContext, config: ReleaseConfig, image: ReleaseImage): Promise<void> {
  const argv = config.runtime.releaseCommand;
  if (argv === null) return;
  ctx.sink.system(`Release command: ${joinCommandLine(argv)}`);
  const end = await runInDeployment(ctx, config, image, { trigger: "release", argv, command: argv });
  if (end.status === "succeeded") return void ctx.sink.system(`Release command finished in ${(end.durationMs / 1000).toFixed(1)} s`);
  if (end.status === "cancelled") throw new CancelledError();
  throw new Error(
    `The release command ${end.status === "timed_out" ? `did not finish within ${end.timeoutS} s` : end.exitCode === null ? `failed: ${end.error ?? "unknown error"}` : `exited with code ${end.exitCode}`}; the release did not go live and the previous release keeps serving`,
  );
}
