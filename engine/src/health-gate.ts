/**
 * Which health gate a release must pass. PURE. The image's own HEALTHCHECK always wins
 * (the engine reports State.Health); otherwise the service's HTTP or TCP probe, run by
 * Berth against the container; by default a TCP probe of the primary port.
 */
import type { ReleaseSpec } from "./port.ts";

export const DEFAULT_PROBE_INTERVAL_MS = 500;
export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;
export const DEFAULT_PROBE_RETRIES = 3;
/** How often the engine's own health status is read while it is "starting". */
export const DOCKER_HEALTH_POLL_MS = 100;
/** The TCP gate polls quickly: it is the historical default and should add no latency. */
export const TCP_DEFAULT_INTERVAL_MS = 50;

interface Timing {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
}

export type HealthGate =
  | { kind: "docker" }
  | ({ kind: "http"; port: number; path: string; expect: { min: number; max: number } } & Timing)
  | ({ kind: "tcp"; port: number } & Timing);

/** Image inspect's Config.Healthcheck.Test, e.g. ["CMD-SHELL", "..."]; ["NONE"] disables it. */
export function imageHasHealthcheck(test: string[] | null | undefined): boolean {
  return Array.isArray(test) && test.length > 0 && test[0] !== "NONE";
}

export function buildHealthGate(spec: Pick<ReleaseSpec, "containerPort" | "healthCheck">, imageHealthcheck: boolean): HealthGate {
  if (imageHealthcheck) return { kind: "docker" };
  const h = spec.healthCheck;
  if (h === undefined) {
    return { kind: "tcp", port: spec.containerPort, intervalMs: TCP_DEFAULT_INTERVAL_MS, timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, retries: DEFAULT_PROBE_RETRIES };
  }
  const timing: Timing = {
    intervalMs: h.intervalMs ?? DEFAULT_PROBE_INTERVAL_MS,
    timeoutMs: h.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS,
    retries: h.retries ?? DEFAULT_PROBE_RETRIES,
  };
  if (h.type === "tcp") return { kind: "tcp", port: h.port ?? spec.containerPort, ...timing };
  return { kind: "http", port: h.port ?? spec.containerPort, path: h.path, expect: h.expectStatus ?? { min: 200, max: 399 }, ...timing };
}
