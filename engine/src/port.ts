/**
 * The container-engine port: everything the control plane asks of a container host.
 * Implemented over the Docker Engine API by DockerEngine (docker-engine.ts).
 * Knows nothing of users, teams or Postgres: ids arrive as opaque strings.
 */

import type { BuildImageOptions, BuildImageResult } from "./build-image.ts";
import type { ExecOptions, ExecResult, ExecSession, ExecSessionOptions } from "./exec-types.ts";
import type { OneOffResult, OneOffSpec, RunOneOffOptions } from "./one-off-types.ts";
import type { ContainerStatus, EngineEvent, StatsSample } from "./observe-types.ts";
import type { EngineDiskUsage, ReclaimOptions, ReclaimResult } from "./disk-usage.ts";
import type { Readable } from "node:stream";
import type { VolumeRef } from "./volume-archive.ts";
import type {
  ReleaseSpec,
  ReleaseInstance,
  ManagedContainer,
  ManagedScope,
  LogLine,
  FollowLogsOptions,
  RunReleaseOptions,
  ReplaceReleaseOptions,
  EnsureServiceResult,
  ManagedVolume,
  EnsureImageOptions,
} from "./port-types.ts";

export type {
  OwnerRef,
  ReleaseSpec,
  HostAccess,
  ReleaseInstance,
  ReplicaInstance,
  ContainerState,
  ManagedContainer,
  ManagedScope,
  LogLine,
  FollowLogsOptions,
  RunReleaseOptions,
  Handover,
  ReplaceReleaseOptions,
  EnsureServiceResult,
  ManagedVolume,
  EnsureImageOptions,
} from "./port-types.ts";

export interface ContainerEngine {
  /** Throws EngineError ENGINE_UNAVAILABLE when the engine does not answer quickly. */
  ping(): Promise<void>;
  /**
   * Run `fn` while a marker (an empty volume of that name, removed afterwards) exists on this
   * engine: another connection that finds it (`hasIdentityMarker`) reaches this same engine.
   * (`docker info`'s ID cannot tell: Docker 20.10 derives it from /etc/docker/key.json, which
   * every dockerd of a host -- or every machine cloned from one image -- shares.)
   */
  withIdentityMarker<T>(fn: (marker: string) => Promise<T>): Promise<T>;
  hasIdentityMarker(marker: string): Promise<boolean>;
  /**
   * Make sure the image is present: use the local one, else pull it (`pull: "always"`: pull, and
   * keep the local copy only when the pull fails -- then `warning` says so). Throws EngineError
   * IMAGE_UNAVAILABLE with the engine's reason when neither works.
   */
  ensureImage(image: string, opts?: EnsureImageOptions): Promise<{ warning: string | null }>;
  /** The image's id on this engine, or null when it does not have it. */
  imageId(image: string): Promise<string | null>;
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
   * then onHandover (the router switches traffic and drains). A failure before hand-over leaves
   * the old release serving. stop-first: image first, then the old release is stopped, then the
   * new one runs; a failure starts the old containers again (details.restored) and rethrows. See
   * ReplaceReleaseOptions. Returns once the new release has the traffic: the old release's
   * containers are the caller's to retire (`retireOthers`, after it recorded the new release as
   * live) and old images its to prune (`pruneImages`).
   */
  replaceRelease(spec: ReleaseSpec, opts?: ReplaceReleaseOptions): Promise<ReleaseInstance>;
  /**
   * Stop (SIGTERM, kill after the grace period, default 10 s) and remove every container of the
   * service that is not of `keepDeploymentId`; returns their names. What follows a
   * `replaceRelease`.
   */
  retireOthers(serviceId: string, keepDeploymentId: string, graceSeconds?: number): Promise<string[]>;
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
  /** Stop the service's containers without removing them. */
  stopService(serviceId: string, graceSeconds?: number): Promise<void>;
  /** Start the service's stopped containers again; returns them as now running. */
  startService(serviceId: string): Promise<ManagedContainer[]>;
  /** Stop and remove every container of the service. */
  removeService(serviceId: string): Promise<void>;
  /** Containers carrying Berth's labels, optionally of one service only. */
  /** Berth's containers of the scope (all when empty), inspected. */
  listManaged(scope?: ManagedScope): Promise<ManagedContainer[]>;
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
  /**
   * A container's lines in a range (stdout/stderr, with timestamps), read once: it ends when the
   * range is read.
   */
  readLogs(containerId: string, opts: FollowLogsOptions): Promise<LogLine[]>;
  /** The same range handed to `onLines` chunk by chunk as the engine sends it, and not kept. */
  readLogsInto(containerId: string, opts: FollowLogsOptions, onLines: (lines: LogLine[]) => void): Promise<void>;
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
  /**
   * Remove the service's release tags (`berth-release/<service>:<deployment>`) but those of
   * `keepDeploymentIds`; an image leaves with its last tag, unless a container uses it. Never touches volumes.
   */
  pruneImages(serviceId: string, keepDeploymentIds: string[]): Promise<{ removed: string[]; failures: string[] }>;
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
  /** `docker save` of the images present (one tar, shared layers once; null when none is) and the ones missing. */
  saveImages(refs: string[]): Promise<{ tar: NodeJS.ReadableStream | null; missing: string[] }>;
  /** `docker load` of a tar made by saveImages. */
  loadImages(tar: NodeJS.ReadableStream): Promise<void>;
  /** A project's Berth volume's files as a tar (entries under `volume/`) handed to `write`; NOT_FOUND when it is not Berth's. */
  exportVolume(projectId: string, name: string, write: (tar: NodeJS.ReadableStream) => Promise<void>): Promise<void>;
  /** Create a project's Berth volume when absent (labelled) and unpack a tar made by exportVolume into it. */
  importVolume(owner: { teamId: string; projectId: string }, name: string, tar: NodeJS.ReadableStream): Promise<void>;
  /**
   * A tar stream of one of a service's named volumes (entries `volume/...`), read through a
   * stopped helper container of the service's own image. Call `done` after reading.
   */
  archiveVolume(ref: VolumeRef): Promise<{ stream: Readable; done: () => Promise<void> }>;
  /** Replace the volume's contents with such an archive. The caller stops the service first. */
  restoreVolume(ref: VolumeRef, archive: Readable): Promise<void>;
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
