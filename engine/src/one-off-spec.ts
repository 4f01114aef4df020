/**
 * A one-off run's create options. PURE (unit-tested). Built from the release's own container
 * spec (same image, env, network + aliases-free, mounts, limits) with: its own name and labels
 * (no deployment label: never a release container), the run's argv (argv[0] as the entrypoint,
 * so an image's ENTRYPOINT does not wrap it; or the release's own command for a stack job), no published ports, no restart, no health check.
 */
import type { ContainerCreateOptions } from "dockerode";
import { EngineError } from "./errors.ts";
import { buildContainerSpec, releaseNetworkName } from "./container-spec.ts";
import { buildResourceLabels, LABEL_ONE_OFF } from "./labels.ts";
import { buildContainerName } from "./names.ts";
import type { OneOffSpec } from "./one-off-types.ts";
import { assertValidId } from "./validate.ts";

const MAX_ARGV_BYTES = 64 * 1024;

export function assertValidOneOffArgv(argv: string[], operation: string): void {
  const fail = (message: string): never => {
    throw new EngineError({ code: "INVALID", operation, resource: "command", message: `${operation}: ${message}` });
  };
  if (!Array.isArray(argv) || argv.length === 0 || argv[0] === "") fail("the command must be a non-empty array of arguments");
  if (argv.some((a) => typeof a !== "string" || a.includes("\0"))) fail("command arguments must be strings without NUL");
  if (argv.reduce((n, a) => n + Buffer.byteLength(a), 0) > MAX_ARGV_BYTES) fail("the command is longer than 64 KiB");
}

export function buildOneOffContainerSpec(spec: OneOffSpec): ContainerCreateOptions {
  const operation = "run one-off";
  assertValidId(spec.runId, "run id", operation);
  if (spec.argv !== null) assertValidOneOffArgv(spec.argv, operation);
  const release = {
    ...spec.release,
    replicas: 1,
    containerPort: undefined,
    ports: undefined,
    primaryHostPort: undefined,
    primaryHostPorts: undefined,
  };
  const base = buildContainerSpec(release, 0);
  const network = releaseNetworkName(release);
  const options: ContainerCreateOptions = {
    ...base,
    // `-run-<id8>` where a release has its deployment id: never a release container's name.
    name: buildContainerName(
      { serviceName: release.serviceName, serviceId: release.owner.serviceId, deploymentId: spec.runId },
      operation,
    ).replace(/-([^-]+)$/, "-run-$1"),
    Labels: { ...buildResourceLabels(release.owner), [LABEL_ONE_OFF]: spec.runId },
    ...argvOptions(spec.argv, base),
    ExposedPorts: {},
    Healthcheck: { Test: ["NONE"] },
    HostConfig: { ...base.HostConfig, PortBindings: {}, RestartPolicy: { Name: "no" } },
  };
  // Reachable by nobody under the service's name: only the release answers to it.
  if (network !== null) options.NetworkingConfig = { EndpointsConfig: { [network]: {} } };
  else delete options.NetworkingConfig;
  return options;
}

/** argv[0] as the entrypoint (an image's ENTRYPOINT does not wrap it); null keeps the release's own. */
function argvOptions(argv: string[] | null, base: ContainerCreateOptions): Pick<ContainerCreateOptions, "Entrypoint" | "Cmd"> {
  if (argv === null) return { Entrypoint: base.Entrypoint, Cmd: base.Cmd };
  const [entrypoint, ...args] = argv as [string, ...string[]];
  return { Entrypoint: [entrypoint], Cmd: args };
}
