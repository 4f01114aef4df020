import type { ReleaseSpec } from "./port-types.ts";

/**
 * A one-off run: a NEW container from a release's image, configuration (env, network,
 * volumes, limits) and an argv of its own, removed when it ends.
 */
export interface OneOffSpec {
  /** The release it runs as (image, env, network, volumes, limits); its deploymentId names the release. */
  release: ReleaseSpec;
  /** The run's own id (label `io.berth.one-off`, container name suffix). */
  runId: string;
  /**
   * The command as argv: argv[0] becomes the entrypoint, the rest its arguments. Null: the
   * release's own entrypoint and command (the image's where the release sets none), as a stack
   * job runs.
   */
  argv: string[] | null;
}

export interface RunOneOffOptions {
  /** The run ends `timed_out` (container killed) past this. */
  timeoutMs: number;
  /** Aborting kills the container: the run ends `cancelled`. */
  signal?: AbortSignal;
  /** Output as it arrives, already split into stdout/stderr. */
  onOutput: (chunk: { stream: "stdout" | "stderr"; text: string }) => void;
  /** Called once the container is created (its name), before it starts. */
  onCreated?: (containerName: string) => void;
  pullTimeoutMs?: number;
}

export interface OneOffResult {
  outcome: "exited" | "cancelled" | "timed_out";
  /** The process's exit code (also for a killed one: 137). */
  exitCode: number | null;
  containerName: string;
}
