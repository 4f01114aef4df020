/**
 * The container-engine port: everything the control plane asks of a container host.
 * Implemented over the Docker Engine API by DockerEngine (docker-engine.ts).
 * Knows nothing of users, teams or Postgres: ids arrive as opaque strings.
 */

import type { BuildImageOptions, BuildImageResult } from "./build-image.ts";

/** Who a Docker object belongs to. Written as labels; read back to prove ownership. */
export interface OwnerRef {
  teamId: string;
  projectId: string;
  serviceId: string;
}

import type { ExecOptions, ExecResult, ExecSession, ExecSessionOptions } from "./exec-types.ts";
import type { OneOffResult, OneOffSpec, RunOneOffOptions } from "./one-off-types.ts";
import type { ContainerStatus, EngineEvent, StatsSample } from "./observe-types.ts";
import type { RegistryAuth } from "./registry-auth.ts";
import type { EngineDiskUsage, ReclaimOptions, ReclaimResult } from "./disk-usage.ts";
import type { HealthCheckSpec, NetworkSpec, PortMapping, ResourceLimits, RestartPolicySpec, VolumeMount } from "./spec-types.ts";

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
  /** Only lines before this time (unix seconds); the stream then ends instead of following. */
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
   * traffic, then the old stops (zero downtime). "stop-first": the image is made present,
   * then every container of the service's other releases is stopped (not removed), then the
   * new release runs; if it fails (create, health, cancel) the old containers are started
   * again and the original error is rethrown; on success onHandover runs and the old
   * containers are removed. For volumes (one writer per data directory) and fixed host ports.
   */
  strategy?: "start-first" | "stop-first";
  /**
   * Called once the new release is healthy and before the old one stops: switch traffic
   * here (and drain the old connections before resolving). If it throws, the new release
   * is removed and the old one keeps serving.
   */
  onHandover?: (handover: Handover) => Promise<void> | void;
  /** SIGTERM grace for the old release before the engine kills it (default 10 s). */
  graceSeconds?: number;
  /** Release images to keep per service after the switch (default 5; false keeps all). */
  retainImages?: number | false;
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

export interface ContainerEngine {
  /** Throws EngineError ENGINE_UNAVAILABLE when the engine does not answer quickly. */
  ping(): Promise<void>;
  /**
   * Make sure the image is present: use the local one, else pull it. Throws
   * EngineError IMAGE_UNAVAILABLE with the engine's reason when neither works.
   */
  ensureImage(image: string, opts?: EnsureImageOptions): Promise<void>;
  /**
   * Create and start the release's container(s) beside whatever runs now, publish its port (if
   * any) on 127.0.0.1, and wait until it passes its health gate. On any failure the
   * new container is removed and an EngineError is thrown (HEALTHCHECK_FAILED carries the
   * container's last log lines in `details.logs`). Idempotent per deploymentId: an existing
   * container of the same deployment is replaced.
   */
  runRelease(spec: ReleaseSpec, opts?: RunReleaseOptions): Promise<ReleaseInstance>;
  /**
   * start-first (default), a zero-downtime release: runRelease (new beside old, health-gated),
   * then onHandover (the router switches traffic and drains), then stop the old with a grace
   * period and remove it. A failure before hand-over leaves the old release serving.
   * stop-first: image first, then the old release is stopped, then the new one runs; a failure
   * starts the old containers again (details.restored) and rethrows. See ReplaceReleaseOptions.
   */
  replaceRelease(spec: ReleaseSpec, opts?: ReplaceReleaseOptions): Promise<ReleaseInstance>;
  /**
   * Reconcile one service toward `desired`: idempotent and safe after a crash at any step.
   * Keeps a healthy release already made from exactly this spec, otherwise (re)creates it;
   * hands over; removes every other release. Converges to exactly one current release.
   */
  ensureService(desired: ReleaseSpec, opts?: ReplaceReleaseOptions): Promise<EnsureServiceResult>;
  /**
   * Build an image from a tar context with BuildKit (build secrets served over a session, never
   * in layers or logs), or the legacy builder when BuildKit is unavailable. Layers are cached by
   * the engine, so a rebuild of the same service reuses them. Streams output lines to `onLine`;
   * a failed step throws EngineError BUILD_FAILED, a timeout TIMEOUT, an aborted `signal` CANCELLED.
   */
  buildImage(options: BuildImageOptions): Promise<BuildImageResult>;
  /** Remove every tag of an image repository Berth owns (`berth-build/...`); returns how many. */
  removeRepositoryImages(repository: string): Promise<number>;
  /** Retention: remove every tag of a `berth-build/...` repository except `keepTags`; never forced, never volumes. */
  pruneRepositoryImages(repository: string, keepTags: string[]): Promise<{ removed: string[]; failures: string[] }>;
  /** Shrink the builder's cache to `keepBytes` (least recently used first); images and volumes untouched. */
  pruneBuildCache(keepBytes: number): Promise<{ reclaimedBytes: number }>;
  /** Stop (SIGTERM, then kill after graceSeconds) and remove every container of the service except keepDeploymentId's. */
  removeOtherReleases(serviceId: string, keepDeploymentId: string, graceSeconds?: number): Promise<void>;
  /** Stop the service's containers without removing them. */
  stopService(serviceId: string, graceSeconds?: number): Promise<void>;
  /** Start the service's stopped containers again; returns them as now running. */
  startService(serviceId: string): Promise<ManagedContainer[]>;
  /** Stop and remove every container of the service. */
  removeService(serviceId: string): Promise<void>;
  /** Containers carrying Berth's labels, optionally of one service only. */
  listManaged(filter?: { serviceId?: string }): Promise<ManagedContainer[]>;
  /** Remove one managed container (refuses containers without Berth's label). */
  removeContainer(containerId: string): Promise<void>;
  /**
   * Follow a container's logs (stdout/stderr demultiplexed, with timestamps). Calls onLine
   * for every complete line; returns a function that stops following. onEnd is called once
   * when the stream ends (container stopped or removed) or errors.
   */
  followLogs(
    containerId: string,
    opts: FollowLogsOptions,
    onLine: (line: LogLine) => void,
    onEnd?: (err?: Error) => void,
  ): Promise<() => void>;
  /** State, health (image HEALTHCHECK), restart count and exit details of one managed container. */
  containerStatus(containerId: string): Promise<ContainerStatus>;
  /** CPU % (from consecutive samples), memory and network counters, about once a second. */
  followStats(containerId: string, onSample: (sample: StatsSample) => void, onEnd?: (err?: Error) => void): Promise<() => void>;
  /** start, die, kill, oom, destroy and health_status events of Berth's containers, optionally of one service. */
  followEvents(filter: { serviceId?: string }, onEvent: (event: EngineEvent) => void, onEnd?: (err?: Error) => void): Promise<() => void>;
  /** Run a command (argv, no shell) in a managed container to completion. */
  exec(containerId: string, opts: ExecOptions): Promise<ExecResult>;
  /** An interactive exec session (stdin/stdout, resize) for a web terminal. */
  openExec(containerId: string, opts: ExecSessionOptions): Promise<ExecSession>;
  /** Keep the last `keep` release images of the service (default 5) plus any in use. Never touches volumes. */
  pruneImages(serviceId: string, keep?: number): Promise<{ removed: string[]; failures: string[] }>;
  /** The engine's disk use by kind (images, containers, volumes, build cache) and its data root. */
  diskUsage(): Promise<EngineDiskUsage>;
  /**
   * Reclaim space: Berth's images beyond the newest `keep` per repository, dangling images and
   * build cache unused past the retention age. A dry run only lists them. Never volumes.
   */
  reclaimSpace(options: ReclaimOptions): Promise<ReclaimResult>;
  /** Berth-labelled named volumes, of one project or team, with sizes and the containers using them. */
  listVolumes(filter: { projectId?: string; teamId?: string }): Promise<ManagedVolume[]>;
  /**
   * Remove one named volume of a project (its data is gone). NOT_FOUND when absent; CONFLICT
   * when it is not Berth's or a container (named in the message) still uses it. Nothing else
   * in the engine removes volumes.
   */
  removeVolume(projectId: string, name: string): Promise<void>;
  /** Make the project's network when it is missing (the reconciler: someone removed it); true when made. */
  ensureProjectNetwork(owner: { teamId: string; projectId: string }): Promise<boolean>;
  /** Remove Berth-labelled networks (of a project or service) that no container uses. */
  pruneNetworks(filter?: { projectId?: string; serviceId?: string }): Promise<string[]>;
  /** Run a command in a NEW container of a release (one-off run); removed when it ends. */
  runOneOff(spec: OneOffSpec, opts: RunOneOffOptions): Promise<OneOffResult>;
  /** One-off containers present (e.g. left by a process that died mid-run). */
  listOneOffs(filter?: { serviceId?: string }): Promise<Array<{ containerId: string; runId: string; serviceId: string }>>;
  /** Remove a one-off container; anything else is refused. */
  removeOneOff(containerId: string): Promise<void>;
}
