/**
 * DockerEngine: the ContainerEngine port over the Docker Engine API (dockerode, API 1.41).
 * Touches only containers labelled io.berth.managed-by=berth; every request has a deadline.
 * Swarm services (through a manager) are SwarmServices' (swarm/swarm-service-ops.ts).
 */
import type { Readable } from "node:stream";
import type { ContainerInfo } from "dockerode";
import { buildImage, type BuildImageOptions, type BuildImageResult } from "./build-image.ts";
import { DEFAULT_GRACE_SECONDS, listManagedContainers, startContainer, stopAndRemove, stopContainer } from "./containers.ts";
import { EngineApi, PING_TIMEOUT_MS, type DockerEngineOptions } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError } from "./errors.ts";
import { DEFAULT_PULL_TIMEOUT_MS, ensureImage, inspectImage } from "./images.ts";
import { followLogs, readLogs, readLogsInto } from "./logs.ts";
import { requireManagedContainer } from "./managed-access.ts";
import type {
  ContainerEngine,
  EnsureImageOptions,
  EnsureServiceResult,
  FollowLogsOptions,
  LogLine,
  ManagedContainer,
  ManagedScope,
  ManagedVolume,
  ReleaseInstance,
  ReleaseSpec,
  ReplaceReleaseOptions,
  RunReleaseOptions,
} from "./port.ts";
import { ensureProjectNetwork, pruneNetworks } from "./networks.ts";
import { containerStatus, followEvents, followStats } from "./observe.ts";
import type { ContainerStatus, EngineEvent, StatsSample } from "./observe-types.ts";
import { pruneReleaseImages } from "./release-images.ts";
import { execCommand, openExec } from "./exec.ts";
import type { ExecOptions, ExecResult, ExecSession, ExecSessionOptions } from "./exec-types.ts";
import { listManaged } from "./managed-list.ts";
import { findTaskContainer } from "./swarm/task-container.ts";
import { listOneOffs, removeOneOff, runOneOff } from "./one-off.ts";
import type { OneOffResult, OneOffSpec, RunOneOffOptions } from "./one-off-types.ts";
import { listVolumes, removeVolume } from "./volume-admin.ts";
import { exportVolume, importVolume, loadImages, saveImages } from "./transfer.ts";
import { archiveVolume, restoreVolume, type VolumeRef } from "./volume-archive.ts";
import { ensureService } from "./reconcile.ts";
import { replaceRelease, retireOthers } from "./replace-release.ts";
import { runRelease } from "./run-release.ts";
import { pruneRepositoryImages, removeRepositoryImages } from "./remove-images.ts";
import { diskUsage, reclaimSpace, type EngineDiskUsage, type ReclaimOptions, type ReclaimResult } from "./disk-usage.ts";
import { pruneBuildCache } from "./build-cache.ts";
import { systemInfo, type EngineSystemInfo } from "./system-info.ts";
import { hasIdentityMarker, withIdentityMarker } from "./identity-marker.ts";
import { assertValidContainerRef, assertValidGrace, assertValidId, assertValidImageRef } from "./validate.ts";

export type { DockerEngineOptions } from "./engine-api.ts";

export class DockerEngine implements ContainerEngine {
  private readonly api: EngineApi;

  constructor(options: DockerEngineOptions = {}) {
    this.api = new EngineApi(options);
  }

  async ping(): Promise<void> {
    const timeoutMs = Math.min(PING_TIMEOUT_MS, this.api.timeoutMs);
    try {
      await this.api.call(
        "ping",
        this.api.target,
        (abortSignal) => this.api.dial({ path: "/_ping", method: "GET", abortSignal, statusCodes: { 200: true, 500: "server error" } }),
        timeoutMs,
      );
    } catch (err) {
      if (isEngineError(err, "ENGINE_UNAVAILABLE")) throw err;
      const message = `ping ${this.api.target}: container engine unavailable: ${engineMessage(err)}`;
      throw new EngineError({ code: "ENGINE_UNAVAILABLE", operation: "ping", resource: this.api.target, message, cause: err });
    }
  }

  async ensureImage(image: string, opts: EnsureImageOptions = {}): Promise<{ warning: string | null }> {
    const ensured = await ensureImage(this.api, image, {
      timeoutMs: opts.timeoutMs ?? DEFAULT_PULL_TIMEOUT_MS,
      auth: opts.registryAuth,
      pull: opts.pull,
    });
    return { warning: ensured.warning ?? null };
  }

  /** A remote engine's host (TLS or SSH; where its published ports are reached), null on this machine. */
  get remoteHost(): string | null {
    return this.api.remoteHost;
  }

  /** The image's id on this engine, or null when it does not have it. */
  async imageId(image: string): Promise<string | null> {
    assertValidImageRef(image, "inspect image");
    return (await inspectImage(this.api, image))?.Id ?? null;
  }

  runRelease(spec: ReleaseSpec, opts: RunReleaseOptions = {}): Promise<ReleaseInstance> {
    return runRelease(this.api, spec, opts);
  }

  replaceRelease(spec: ReleaseSpec, opts: ReplaceReleaseOptions = {}): Promise<ReleaseInstance> {
    return replaceRelease(this.api, spec, opts);
  }

  retireOthers(serviceId: string, keepDeploymentId: string, graceSeconds = DEFAULT_GRACE_SECONDS): Promise<string[]> {
    const operation = "retire old releases";
    assertValidId(serviceId, "service id", operation);
    assertValidId(keepDeploymentId, "deployment id", operation);
    assertValidGrace(graceSeconds, operation);
    return retireOthers(this.api, serviceId, keepDeploymentId, graceSeconds);
  }

  ensureService(desired: ReleaseSpec, opts: ReplaceReleaseOptions = {}): Promise<EnsureServiceResult> {
    return ensureService(this.api, desired, opts);
  }

  async stopService(serviceId: string, graceSeconds = DEFAULT_GRACE_SECONDS): Promise<void> {
    const operation = "stop service";
    assertValidId(serviceId, "service id", operation);
    assertValidGrace(graceSeconds, operation);
    const live = (await listManagedContainers(this.api, serviceId)).filter((c) => !["exited", "created", "dead"].includes(c.State));
    await this.forEach(operation, serviceId, live, (c) => stopContainer(this.api, c.Id, graceSeconds));
  }

  async startService(serviceId: string): Promise<ManagedContainer[]> {
    const operation = "start service";
    assertValidId(serviceId, "service id", operation);
    const stopped = (await listManagedContainers(this.api, serviceId)).filter((c) => c.State !== "running");
    await this.forEach(operation, serviceId, stopped, (c) => startContainer(this.api, c.Id));
    return this.listManaged({ serviceId });
  }

  async removeService(serviceId: string): Promise<void> {
    const operation = "remove service";
    assertValidId(serviceId, "service id", operation);
    // One-off runs of a deleted service go with it.
    const all = await listManagedContainers(this.api, serviceId, { includeOneOffs: true });
    await this.forEach(operation, serviceId, all, (c) => stopAndRemove(this.api, c.Id, DEFAULT_GRACE_SECONDS));
    // The service's own network and release image tags go with it; volumes never do.
    await pruneNetworks(this.api, { serviceId });
    const images = await pruneReleaseImages(this.api, serviceId, []);
    if (images.failures.length > 0) {
      throw new EngineError({
        code: "ENGINE_ERROR",
        operation,
        resource: serviceId,
        message: `${operation} ${serviceId}: could not remove release images: ${images.failures.join("; ")}`,
        details: { failures: images.failures },
      });
    }
  }

  async listManaged(scope: ManagedScope = {}): Promise<ManagedContainer[]> {
    if (scope.serviceId !== undefined) assertValidId(scope.serviceId, "service id", "list containers");
    if (scope.projectId !== undefined) assertValidId(scope.projectId, "project id", "list containers");
    if (scope.teamId !== undefined) assertValidId(scope.teamId, "team id", "list containers");
    return listManaged(this.api, scope);
  }

  async removeContainer(containerId: string): Promise<void> {
    assertValidContainerRef(containerId, "remove container");
    const id = await requireManagedContainer(this.api, containerId, "remove container");
    await stopAndRemove(this.api, id, DEFAULT_GRACE_SECONDS);
  }

  followLogs(
    containerId: string,
    opts: FollowLogsOptions,
    onLine: (line: LogLine) => void,
    onEnd?: (err?: Error) => void,
  ): Promise<() => void> {
    assertValidContainerRef(containerId, "follow logs");
    return followLogs(this.api, containerId, opts, onLine, onEnd);
  }

  readLogs(containerId: string, opts: FollowLogsOptions): Promise<LogLine[]> {
    assertValidContainerRef(containerId, "read logs");
    return readLogs(this.api, containerId, opts);
  }

  readLogsInto(containerId: string, opts: FollowLogsOptions, onLines: (lines: LogLine[]) => void): Promise<void> {
    assertValidContainerRef(containerId, "read logs");
    return readLogsInto(this.api, containerId, opts, onLines);
  }

  /** State, health, restart count and exit details of one managed container. */
  containerStatus(containerId: string): Promise<ContainerStatus> {
    assertValidContainerRef(containerId, "container status");
    return containerStatus(this.api, containerId);
  }

  /** Follow a managed container's CPU %, memory and network counters (about one sample a second). */
  followStats(containerId: string, onSample: (s: StatsSample) => void, onEnd?: (err?: Error) => void): Promise<() => void> {
    assertValidContainerRef(containerId, "follow stats");
    return followStats(this.api, containerId, onSample, onEnd);
  }

  /** Follow engine events (start, die, kill, oom, destroy, health_status) of Berth's containers, optionally of one service. */
  followEvents(filter: { serviceId?: string }, onEvent: (e: EngineEvent) => void, onEnd?: (err?: Error) => void): Promise<() => void> {
    if (filter.serviceId !== undefined) assertValidId(filter.serviceId, "service id", "follow events");
    return followEvents(this.api, filter, onEvent, onEnd);
  }

  /** Berth's named volumes (of a project or team) with sizes and the containers that mount them. */
  listVolumes(filter: { projectId?: string; teamId?: string }): Promise<ManagedVolume[]> {
    if (filter.projectId !== undefined) assertValidId(filter.projectId, "project id", "list volumes");
    if (filter.teamId !== undefined) assertValidId(filter.teamId, "team id", "list volumes");
    return listVolumes(this.api, filter);
  }

  /** Remove a project's named volume: only Berth's, only when no container uses it. */
  removeVolume(projectId: string, name: string): Promise<void> {
    return removeVolume(this.api, projectId, name);
  }

  saveImages(refs: string[]): Promise<{ tar: NodeJS.ReadableStream | null; missing: string[] }> {
    return saveImages(this.api, refs);
  }

  loadImages(tar: NodeJS.ReadableStream): Promise<void> {
    return loadImages(this.api, tar);
  }

  exportVolume(projectId: string, name: string, write: (tar: NodeJS.ReadableStream) => Promise<void>): Promise<void> {
    return exportVolume(this.api, projectId, name, write);
  }

  importVolume(owner: { teamId: string; projectId: string }, name: string, tar: NodeJS.ReadableStream): Promise<void> {
    return importVolume(this.api, owner, name, tar);
  }

  /** A tar stream of a service's named volume, through a helper container of the service's image. */
  archiveVolume(ref: VolumeRef): Promise<{ stream: Readable; done: () => Promise<void> }> {
    return archiveVolume(this.api, ref);
  }

  /** Replace a named volume's contents with an archive from archiveVolume (the service stopped by the caller). */
  restoreVolume(ref: VolumeRef, archive: Readable): Promise<void> {
    return restoreVolume(this.api, ref, archive);
  }

  /** Make the project's network when it is missing; true when it was made. */
  ensureProjectNetwork(owner: { teamId: string; projectId: string }): Promise<boolean> {
    assertValidId(owner.teamId, "team id", "ensure network");
    assertValidId(owner.projectId, "project id", "ensure network");
    return ensureProjectNetwork(this.api, owner);
  }

  runOneOff(spec: OneOffSpec, opts: RunOneOffOptions): Promise<OneOffResult> {
    return runOneOff(this.api, spec, opts);
  }

  listOneOffs(filter: { serviceId?: string } = {}): Promise<Array<{ containerId: string; runId: string; serviceId: string }>> {
    if (filter.serviceId !== undefined) assertValidId(filter.serviceId, "service id", "list one-offs");
    return listOneOffs(this.api, filter.serviceId);
  }

  removeOneOff(containerId: string): Promise<void> {
    assertValidContainerRef(containerId, "remove one-off");
    return removeOneOff(this.api, containerId);
  }

  /** Remove Berth-labelled networks (optionally of one project or service) that no container uses. */
  pruneNetworks(filter: { projectId?: string; serviceId?: string } = {}): Promise<string[]> {
    if (filter.projectId !== undefined) assertValidId(filter.projectId, "project id", "prune networks");
    if (filter.serviceId !== undefined) assertValidId(filter.serviceId, "service id", "prune networks");
    return pruneNetworks(this.api, filter);
  }

  /** Image retention for one service: its release tags but those of `keepDeploymentIds` removed; volumes are never touched. */
  pruneImages(serviceId: string, keepDeploymentIds: string[]): Promise<{ removed: string[]; failures: string[] }> {
    assertValidId(serviceId, "service id", "prune images");
    return pruneReleaseImages(this.api, serviceId, keepDeploymentIds);
  }

  /** Disk use by kind and the engine's data root. */
  diskUsage(): Promise<EngineDiskUsage> {
    return diskUsage(this.api);
  }

  withIdentityMarker<T>(fn: (marker: string) => Promise<T>): Promise<T> {
    return withIdentityMarker(this.api, fn);
  }

  hasIdentityMarker(marker: string): Promise<boolean> {
    return hasIdentityMarker(this.api, marker);
  }

  /** The engine's version and its host's CPUs, memory and Docker's disk use (the Servers page). */
  systemInfo(): Promise<EngineSystemInfo> {
    return systemInfo(this.api);
  }

  /** Reclaim Berth's images beyond what the caller retains, dangling images and stale build cache (dry run: list only). Never volumes. */
  reclaimSpace(options: ReclaimOptions): Promise<ReclaimResult> {
    return reclaimSpace(this.api, options);
  }

  /** The running container of a Swarm task of the service on THIS engine (the task's node); null when none runs here. */
  taskContainer(serviceId: string, taskId: string): Promise<string | null> {
    return findTaskContainer(this.api, serviceId, taskId);
  }

  /** Run a command in a managed container to completion (argv, no shell). */
  exec(containerId: string, opts: ExecOptions): Promise<ExecResult> {
    assertValidContainerRef(containerId, "exec");
    return execCommand(this.api, containerId, opts);
  }

  /** Open an interactive exec session (stdin/stdout, resize) in a managed container. */
  openExec(containerId: string, opts: ExecSessionOptions): Promise<ExecSession> {
    assertValidContainerRef(containerId, "exec");
    return openExec(this.api, containerId, opts);
  }

  /** Remove every tag of an image repository Berth owns (`berth-build/...`); returns how many. */
  removeRepositoryImages(repository: string): Promise<number> {
    return removeRepositoryImages(this.api, repository);
  }

  pruneRepositoryImages(repository: string, keepTags: string[]): Promise<{ removed: string[]; failures: string[] }> {
    return pruneRepositoryImages(this.api, repository, keepTags);
  }

  pruneBuildCache(keepBytes: number): Promise<{ reclaimedBytes: number }> {
    return pruneBuildCache(this.api, keepBytes);
  }

  /** Build an image from an in-memory context (not part of the port; used by tests and builds). */
  buildImage(options: BuildImageOptions): Promise<BuildImageResult> {
    return buildImage(this.api, options);
  }

  /** Run `action` on every container, all of them even if some fail; then report the failures together. */
  private async forEach(
    operation: string,
    resource: string,
    containers: ContainerInfo[],
    action: (c: ContainerInfo) => Promise<void>,
  ): Promise<void> {
    const results = await Promise.allSettled(containers.map(action));
    const failures = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
    if (failures.length === 0) return;
    const first = failures[0];
    throw new EngineError({
      code: isEngineError(first) ? first.code : "ENGINE_ERROR",
      operation,
      resource,
      message: `${operation} ${resource}: ${failures.length} of ${containers.length} container(s) failed: ${failures.map(engineMessage).join("; ")}`,
      details: { failures: failures.map(engineMessage) },
      cause: first,
    });
  }
}
