/**
 * The optional parts of a release's desired state (ReleaseSpec in port.ts): ports, volumes,
 * limits, restart policy, health check, network, labels. Plain data; validated in
 * validate-spec.ts and turned into Docker options by container-spec.ts.
 */

/** An extra published port. The primary containerPort is always published on 127.0.0.1. */
export interface PortMapping {
  containerPort: number;
  protocol?: "tcp" | "udp";
  /** Host address to bind (default 127.0.0.1: the reverse proxy reaches it there). */
  hostIp?: string;
  /** Fixed host port; default a random free one. A fixed port cannot run beside the old release. */
  hostPort?: number;
}

/**
 * A named volume (Docker volume `berth-<projectId>-<name>`, created labelled, never pruned)
 * or a bind mount of an absolute host path.
 */
export type VolumeMount =
  | { type: "volume"; name: string; target: string; readOnly?: boolean }
  | { type: "bind"; source: string; target: string; readOnly?: boolean };

export interface ResourceLimits {
  /** CPUs, e.g. 0.5 (sent as NanoCpus). */
  cpus?: number;
  /** Memory limit in bytes (at least 6 MiB); swap is disabled (MemorySwap = Memory). */
  memoryBytes?: number;
}

export type RestartPolicySpec =
  | { name: "no" | "always" | "unless-stopped" }
  | { name: "on-failure"; maxRetries?: number };

interface ProbeTiming {
  /** Between two probes (default 500 ms). */
  intervalMs?: number;
  /** One probe's deadline (default 2 s). */
  timeoutMs?: number;
  /**
   * Consecutive failed probes, counted once the process accepts connections, after which
   * the release is unhealthy (default 3). Refused connections only wait for the deadline.
   */
  retries?: number;
}

/**
 * The health gate when the image has no HEALTHCHECK (an image HEALTHCHECK always wins).
 * Without one, the gate is a TCP probe of containerPort.
 */
export type HealthCheckSpec =
  | ({ type: "http"; path: string; port?: number; /** Accepted statuses, default 200-399. */ expectStatus?: { min: number; max: number } } & ProbeTiming)
  | ({ type: "tcp"; port?: number } & ProbeTiming);

/** The user network a release joins, with its service name as DNS alias. */
export interface NetworkSpec {
  /** "project": every service of the project shares `berth-p-<projectId>`; "service": `berth-s-<serviceId>`. */
  scope: "project" | "service";
}
