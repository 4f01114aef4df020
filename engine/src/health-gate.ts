/**
 * Which health gate a release must pass. PURE. The image's own HEALTHCHECK always wins
 * (the engine reports State.Health); otherwise the service's HTTP, TCP or command probe, or
 * "running for stableMs"; by default a TCP probe of the primary port, or -- for a worker
 * without one -- running for DEFAULT_WORKER_STABLE_MS.
 */
import { EngineError } from "./errors.ts";
import type { ReleaseSpec } from "./port-types.ts";

export const DEFAULT_PROBE_INTERVAL_MS = 500;
export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;
export const DEFAULT_PROBE_RETRIES = 3;
/** A worker (no containerPort, no healthCheck) is ready after running this long without a restart. */
export const DEFAULT_WORKER_STABLE_MS = 5_000;
/** How often the engine's own health status is read while it is "starting". */
export const DOCKER_HEALTH_POLL_MS = 100;
/** How often a "running" gate looks at the container. */
export const RUNNING_POLL_MS = 100;
/** The TCP gate polls quickly: it is the historical default and should add no latency. */
export const TCP_DEFAULT_INTERVAL_MS = 50;

export interface ProbeGateTiming {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  /** Failed probes before this many ms after the gate began do not count toward retries. */
  startPeriodMs: number;
}

export type HealthGate =
  | { kind: "docker" }
  | ({ kind: "http"; port: number; path: string; expect: { min: number; max: number } } & ProbeGateTiming)
  | ({ kind: "tcp"; port: number } & ProbeGateTiming)
  | ({ kind: "command"; command: string[] } & ProbeGateTiming)
  | { kind: "running"; stableMs: number };

/** Image inspect's Config.Healthcheck.Test, e.g. ["CMD-SHELL", "..."]; ["NONE"] disables it. */
export function imageHasHealthcheck(test: string[] | null | undefined): boolean {
  return Array.isArray(test) && test.length > 0 && test[0] !== "NONE";
}

function probePort(spec: Pick<ReleaseSpec, "containerPort" | "serviceName">, port: number | undefined): number {
  const resolved = port ?? spec.containerPort;
  if (resolved === undefined) {
    const message = `health gate ${spec.serviceName}: an HTTP or TCP health check needs a port (healthCheck.port or containerPort)`;
    throw new EngineError({ code: "INVALID", operation: "health gate", resource: String(spec.serviceName), message });
  }
  return resolved;
}

export function buildHealthGate(
  spec: Pick<ReleaseSpec, "containerPort" | "healthCheck" | "serviceName">,
  imageHealthcheck: boolean,
): HealthGate {
  if (imageHealthcheck) return { kind: "docker" };
  const h = spec.healthCheck;
  if (h === undefined) {
    if (spec.containerPort === undefined) return { kind: "running", stableMs: DEFAULT_WORKER_STABLE_MS };
    return {
      kind: "tcp",
      port: spec.containerPort,
      intervalMs: TCP_DEFAULT_INTERVAL_MS,
      timeoutMs: DEFAULT_PROBE_TIMEOUT_MS,
      retries: DEFAULT_PROBE_RETRIES,
      startPeriodMs: 0,
    };
  }
  if (h.type === "running") return { kind: "running", stableMs: h.stableMs };
  const timing: ProbeGateTiming = {
    intervalMs: h.intervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
    timeoutMs: h.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    retries: h.retries ?? DEFAULT_PROBE_RETRIES,
    startPeriodMs: h.startPeriodMs ?? 0,
  };
  if (h.type === "command") return { kind: "command", command: [...h.command], ...timing };
  if (h.type === "tcp") return { kind: "tcp", port: probePort(spec, h.port), ...timing };
  return { kind: "http", port: probePort(spec, h.port), path: h.path, expect: h.expectStatus ?? { min: 200, max: 399 }, ...timing };
}
