/**
 * Service settings between the input schema and the database: the columns an input sets, and
 * the view the settings form is filled from (commands as command lines again). PURE.
 */
import type { Service } from "@berth/db";
import { join as joinCommandLine } from "shlex";
import { envFromJson } from "./service-input.ts";
import { readStoredRuntime, type RuntimeInput, toStoredRuntime } from "./runtime-settings.ts";
import { formatUlimits } from "./ulimits-text.ts";

export function runtimeColumns(input: RuntimeInput) {
  return {
    kind: input.kind,
    containerPort: input.kind === "worker" ? null : input.containerPort,
    runtime: { ...toStoredRuntime(input) },
    replicas: input.replicas,
    strategy: input.strategy === "auto" ? null : input.strategy,
  };
}

const line = (argv: string[] | null) => (argv === null ? "" : joinCommandLine(argv));

type SettingsColumns =
  | "kind"
  | "containerPort"
  | "runtime"
  | "replicas"
  | "strategy"
  | "buildArgs"
  | "cloneTimeoutS"
  | "buildTimeoutS"
  | "startTimeoutS"
  | "healthTimeoutS";

export function settingsView(
  service: Pick<Service, SettingsColumns>,
  volumes: { name: string; mountPath: string; readOnly: boolean; hostPath: string | null }[],
) {
  const runtime = readStoredRuntime(service.runtime);
  return {
    kind: service.kind,
    containerPort: service.containerPort,
    command: line(runtime.command),
    entrypoint: line(runtime.entrypoint),
    user: runtime.user ?? "",
    ulimits: formatUlimits(runtime.ulimits),
    aliases: runtime.aliases.join(" "),
    workingDir: runtime.workingDir ?? "",
    releaseCommand: line(runtime.releaseCommand),
    healthCheck: { ...runtime.healthCheck, command: line(runtime.healthCheck.command) },
    workerStableS: runtime.workerStableS,
    limits: runtime.limits,
    restartPolicy: runtime.restartPolicy,
    replicas: service.replicas,
    strategy: service.strategy ?? ("auto" as const),
    publish: runtime.publish,
    volumes: volumes.map((v) => ({ name: v.name, mountPath: v.mountPath, readOnly: v.readOnly, hostPath: v.hostPath ?? "" })),
    /** A git service's build arguments with their values (not secret: build secrets are variables). */
    buildArgs: envFromJson(service.buildArgs),
    timeouts: {
      cloneTimeoutS: service.cloneTimeoutS,
      buildTimeoutS: service.buildTimeoutS,
      startTimeoutS: service.startTimeoutS,
      healthTimeoutS: service.healthTimeoutS,
    },
  };
}
