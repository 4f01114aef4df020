/**
 * The data the container-engine port (port.ts) speaks in: release specs, instances, options and
 * results. At the bottom of the engine: it imports only other type files, so every implementation
 * can import it without a circle through port.ts.
 */

import type { RegistryAuth } from "./registry-auth.ts";
import type { HealthCheckSpec, NetworkSpec, PortMapping, ResourceLimits, RestartPolicySpec, Ulimit, VolumeMount } from "./spec-types.ts";

/** Who a Docker object belongs to. Written as labels; read back to prove ownership. */
export interface OwnerRef {
  teamId: string;
  projectId: string;
  serviceId: string;
}

/** Which of Berth's containers a listing covers: all, or one service's, project's or team's (filtered by the engine on their labels). */
export type ManagedScope = Partial<OwnerRef>;

/** Desired state of one release of a service. Everything past `command` is optional. */
export interface ReleaseSpec {
  owner: OwnerRef;
  /** The deployment that creates this release; part of the container name and labels. */
  deploymentId: string;
  /** Human name of the service (already validated as a DNS label); used in names. */
  serviceName: string;
  image: string;
  /**
   * Port the process listens on inside the container; published on 127.0.0.1:<random> (or
   * primaryHostPort(s)). Absent for a worker: nothing is published for it, the instance's
   * hostPort is null, and the default gate is `{ type: "running", stableMs: 5000 }`.
   */
  containerPort?: number;
  env: Record<string, string>;
  /** Optional argv override for the image's CMD. */
  command?: string[];
  /** Optional argv override for the image's ENTRYPOINT. */
  entrypoint?: string[];
  /** The user (and group) the process runs as, `1000:1000` or `postgres` (compose's `user:`); default the image's USER. */
  user?: string;
  /**
   * Size of the container's /dev/shm in bytes (compose's `shm_size`; PostgreSQL's parallel
   * queries and browsers use it), 1 MiB to 64 GiB; default the engine's 64 MiB. Not changed in
   * place: a new size is a new container.
   */
  shmSizeBytes?: number;
  /** Resource limits of the process (compose's `ulimits`), e.g. memlock -1 for Elasticsearch; see process-identity.ts. */
  ulimits?: Ulimit[];
  /** The process's working directory, absolute (compose's `working_dir:`); default the image's WORKDIR. */
  workingDir?: string;
  /**
   * Fixed host port for the primary containerPort on 127.0.0.1 (default: a random free one).
   * The edge proxy gives each service two such ports and alternates releases between them, so
   * a redeploy never changes the proxy's config. One replica only; needs containerPort.
   */
  primaryHostPort?: number;
  /**
   * One fixed 127.0.0.1 host port per replica for the primary port (replica i gets
   * primaryHostPorts[i]); length must equal replicas; not with primaryHostPort. With the
   * start-first strategy the old release still holds its ports: alternate two sets.
   */
  primaryHostPorts?: number[];
  /**
   * The host address the primary port binds to (default 127.0.0.1). A release on a remote
   * server's engine binds 0.0.0.0 there, so the edge proxy on Berth's host reaches it.
   */
  publishHostIp?: string;
  /** Extra published ports (the primary containerPort is always published on 127.0.0.1). */
  ports?: PortMapping[];
  volumes?: VolumeMount[];
  resources?: ResourceLimits;
  /** Default unless-stopped. */
  restartPolicy?: RestartPolicySpec;
  /** Gate used when the image has no HEALTHCHECK; default a TCP probe of containerPort (worker: running 5 s). */
  healthCheck?: HealthCheckSpec;
  /** Extra labels (keys may not use the io.berth. prefix). */
  labels?: Record<string, string>;
  /**
   * Join a Berth user network with the service name (and network.aliases) as DNS names; without
   * it the engine's default bridge (the control plane always sets scope "project").
   */
  network?: NetworkSpec;
  /** Containers per release (default 1, at most 20). */
  replicas?: number;
  /**
   * Powers over the host (compose's privileged, cap_add, devices, security_opt, pid/ipc/uts
   * host, network_mode host), only where the instance owner allowed them. Host networking has no
   * Berth network (set no `network`) and no published ports.
   */
  hostAccess?: HostAccess;
  /**
   * Swarm only: placement constraints (`node.labels.KEY==VALUE`, `node.hostname!=NAME`,
   * `node.role==manager`); ignored by the standalone container path.
   */
  placementConstraints?: string[];
}

export interface HostAccess {
  privileged?: boolean;
  /** Kernel capabilities to add, e.g. NET_ADMIN (or ALL). */
  capAdd?: string[];
  devices?: { hostPath: string; containerPath: string; permissions: string }[];
  securityOpt?: string[];
  /** Share the host's namespace of that kind. */
  hostNamespaces?: ("network" | "pid" | "ipc" | "uts")[];
}

export interface ReleaseInstance {
  containerId: string;
  containerName: string;
  deploymentId: string;
  /** Host port on 127.0.0.1 the container port is published on; null without a containerPort. */
  hostPort: number | null;
  /** Every replica of the release (the first is the one described above). */
  replicas?: ReplicaInstance[];
  /** The per-release image tag, `berth-release/<service>:<deployment>`. */
  releaseImage?: string;
  /** The image the release runs: its Id (`sha256:…`). */
  imageId: string;
  /**
   * The image's RepoDigests entry for the spec's repository (`repo@sha256:…`, familiar form:
   * `nginx@…` for docker.io/library/nginx); null for an image that never came from that registry.
   */
  repoDigest: string | null;
  /**
   * Non-fatal problems (e.g. an image that could not be pruned, or a `pull: "always"` that
   * failed and released the local copy instead).
   */
  warnings?: string[];
}

export interface ReplicaInstance {
  containerId: string;
  containerName: string;
  replica: number;
  /** null without a containerPort. */
  hostPort: number | null;
}

export type ContainerState = "created" | "running" | "paused" | "restarting" | "removing" | "exited" | "dead";

export interface ManagedContainer {
  containerId: string;
  containerName: string;
  owner: OwnerRef;
  deploymentId: string;
  state: ContainerState;
  hostPort: number | null;
  restartCount: number;
}

export interface LogLine {
  stream: "stdout" | "stderr";
  /** ISO timestamp from the engine. */
  time: string;
  text: string;
}

export interface FollowLogsOptions {
  /** Lines of history to send first (default 100). */
  tail?: number;
  /** Only lines after this time (unix seconds). */
  since?: number;
  /**
   * Only lines before this time (unix seconds). A follow stays open until a later line is written
   * (Docker 20.10): a range that must end is read with `readLogs`.
   */
  until?: number;
  /** Which streams to include (both by default). */
  stdout?: boolean;
  stderr?: boolean;
}

export interface RunReleaseOptions {
  /** How long the new container may take to accept TCP on its port (default 30 s). */
  readyTimeoutMs?: number;
  /** How long an image pull may take before it is abandoned (default 60 s). */
  pullTimeoutMs?: number;
  /** Credentials for pulling from a private registry (sent only as X-Registry-Auth). */
  registryAuth?: RegistryAuth;
  /**
   * "missing" (default): use a local copy, pull only when there is none. "always": pull the
   * tag first; if that fails but a local copy exists, release it and say so in `warnings`;
   * without a local copy, IMAGE_UNAVAILABLE (before anything is stopped or created).
   */
  pull?: "missing" | "always";
  /** Aborting it ends the health gate at once: the new containers are removed, CANCELLED is thrown. */
  signal?: AbortSignal;
}

/** What the router is told when a new release is healthy and the old one is still running. */
export interface Handover {
  release: ReleaseInstance;
  /** Containers of the service's other releases (still running at hand-over time). */
  previous: ManagedContainer[];
}

export interface ReplaceReleaseOptions extends RunReleaseOptions {
  /**
   * "start-first" (default): the new release starts beside the old, is gated, takes the
   * traffic, then the old is retired (zero downtime). "stop-first": the image is made present,
   * then every container of the service's other releases is stopped (not removed), then the
   * new release runs; if it fails (create, health, cancel) the old containers are started
   * again and the original error is rethrown; on success onHandover runs. For volumes (one
   * writer per data directory) and fixed host ports. ensureService retires the old release
   * itself; after replaceRelease the caller does (`retireOthers`).
   */
  strategy?: "start-first" | "stop-first";
  /**
   * Called once the new release is healthy and before the old one stops: switch traffic
   * here (and drain the old connections before resolving). If it throws, the new release
   * is removed and the old one keeps serving.
   */
  onHandover?: (handover: Handover) => Promise<void> | void;
  /**
   * SIGTERM grace for the old release before the engine kills it (default 10 s): when stop-first
   * stops it, and when ensureService retires it (replaceRelease leaves that to `retireOthers`).
   */
  graceSeconds?: number;
}

export interface EnsureServiceResult {
  release: ReleaseInstance;
  /**
   * False when the desired release was already running from exactly this spec and passed its
   * gate. True when it was (re)created, or its limits / restart policy were updated in place.
   */
  changed: boolean;
  /** Names of the containers of other releases that were removed. */
  removed: string[];
}

/** A Berth-labelled named volume (`berth-<projectId>-<name>`). */
export interface ManagedVolume {
  /** The name within the project (io.berth.volume). */
  name: string;
  /** Docker's name. */
  volumeName: string;
  projectId: string;
  /** From the engine's disk usage; null when the engine does not know. */
  sizeBytes: number | null;
  /** Names of the containers (running or not) that mount it. */
  usedBy: string[];
}

export interface EnsureImageOptions {
  timeoutMs?: number;
  /** Credentials for a private registry (sent only as X-Registry-Auth, never logged). */
  registryAuth?: RegistryAuth;
  /** "missing" (default) uses a local copy when present; "always" pulls anyway. */
  pull?: "missing" | "always";
}
