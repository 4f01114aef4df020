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
  /** Most processes/threads the container may run (HostConfig.PidsLimit), 16-100000. */
  pidsLimit?: number;
}

export type RestartPolicySpec = { name: "no" | "always" | "unless-stopped" } | { name: "on-failure"; maxRetries?: number };

export interface ProbeTiming {
  /** Between two probes (default 500 ms). */
  intervalMs?: number;
  /** One probe's deadline (default 2 s). */
  timeoutMs?: number;
  /**
   * Consecutive failed probes, counted once the process accepts connections, after which
   * the release is unhealthy (default 3). Refused connections only wait for the deadline.
   */
  retries?: number;
  /** From the container's start: failed probes inside this period do not count toward retries (default 0). */
  startPeriodMs?: number;
}

/**
 * The health gate when the image has no HEALTHCHECK (an image HEALTHCHECK always wins).
 * Without one: a TCP probe of containerPort, or, without a containerPort (a worker),
 * `{ type: "running", stableMs: 5000 }`.
 *
 * - http: GET `path` on the container (port, default containerPort), status in expectStatus.
 * - tcp: a connection to the port is accepted.
 * - command: argv exec'd in the container (no shell unless argv has one); exit 0 passes;
 *   each run must finish within timeoutMs.
 * - running: the container has been running `stableMs` without exiting or restarting; an
 *   exit or restart fails it at once.
 */
export type HealthCheckSpec =
  | ({
      type: "http";
      path: string;
      port?: number;
      /** Accepted statuses, default 200-399. */ expectStatus?: { min: number; max: number };
    } & ProbeTiming)
  | ({ type: "tcp"; port?: number } & ProbeTiming)
  | ({ type: "command"; command: string[] } & ProbeTiming)
  | { type: "running"; stableMs: number };

/** The user network a release joins, with its service name (and `aliases`) as DNS names. */
export interface NetworkSpec {
  /** "project": every service of the project shares `berth-p-<projectId>`; "service": `berth-s-<serviceId>`. */
  scope: "project" | "service";
  /** Extra DNS names on that network, e.g. `api.shop.internal` (labels [a-z0-9-], dots, <= 253). */
  aliases?: string[];
}

/** A resource limit of the process (compose's `ulimits`); -1 is unlimited. (A type, not an interface: stored as JSON.) */
export type Ulimit = {
  name: string;
  soft: number;
  hard: number;
};
