/**
 * DockerEngine: the ContainerEngine port over the Docker Engine API (dockerode, API 1.41).
 * Touches only containers labelled io.berth.managed-by=berth; every request has a deadline.
 */
import type { ContainerInfo } from "dockerode";
import { buildImage, type BuildImageOptions, type BuildImageResult } from "./build-image.ts";
import {
  DEFAULT_GRACE_SECONDS,
  inspectContainer,
  listManagedContainers,
  startContainer,
  stopAndRemove,
  stopContainer,
} from "./containers.ts";
import { EngineApi, PING_TIMEOUT_MS, type DockerEngineOptions } from "./engine-api.ts";
import { EngineError, engineMessage, isEngineError } from "./errors.ts";
import { DEFAULT_PULL_TIMEOUT_MS, ensureImage } from "./images.ts";
import { parseDeploymentLabel } from "./labels.ts";
import { followLogs, requireManagedContainer } from "./logs.ts";
import { toManagedContainer } from "./managed.ts";
import type {
  ContainerEngine,
  FollowLogsOptions,
  LogLine,
  ManagedContainer,
  ReleaseInstance,
  ReleaseSpec,
  RunReleaseOptions,
} from "./port.ts";
import { runRelease } from "./run-release.ts";
import { removeRepositoryImages } from "./remove-images.ts";
import { assertValidContainerRef, assertValidGrace, assertValidId } from "./validate.ts";

export type { DockerEngineOptions } from "./engine-api.ts";

export class DockerEngine implements ContainerEngine {
  private readonly api: EngineApi;

  constructor(options: DockerEngineOptions = {}) {
    this.api = new EngineApi(options);
  }

  async ping(): Promise<void> {
    const timeoutMs = Math.min(PING_TIMEOUT_MS, this.api.timeoutMs);
    try {
      await this.api.call("ping", this.api.target, (abortSignal) => this.api.dial({ path: "/_ping", method: "GET", abortSignal, statusCodes: { 200: true, 500: "server error" } }), timeoutMs);
    } catch (err) {
      if (isEngineError(err, "ENGINE_UNAVAILABLE")) throw err;
      const message = `ping ${this.api.target}: container engine unavailable: ${engineMessage(err)}`;
      throw new EngineError({ code: "ENGINE_UNAVAILABLE", operation: "ping", resource: this.api.target, message, cause: err });
    }
  }

  ensureImage(image: string, opts: { timeoutMs?: number } = {}): Promise<void> {
    return ensureImage(this.api, image, opts.timeoutMs ?? DEFAULT_PULL_TIMEOUT_MS);
  }

  runRelease(spec: ReleaseSpec, opts: RunReleaseOptions = {}): Promise<ReleaseInstance> {
    return runRelease(this.api, spec, opts);
  }

  async removeOtherReleases(serviceId: string, keepDeploymentId: string, graceSeconds = DEFAULT_GRACE_SECONDS): Promise<void> {
    const operation = "remove other releases";
    assertValidId(serviceId, "service id", operation);
    assertValidId(keepDeploymentId, "deployment id", operation);
    assertValidGrace(graceSeconds, operation);
    const all = await listManagedContainers(this.api, serviceId);
    // Guard: never take a service down because the release to keep is missing.
    if (!all.some((c) => parseDeploymentLabel(c.Labels) === keepDeploymentId)) {
      const message = `${operation} ${serviceId}: deployment ${keepDeploymentId} has no container; refusing to remove the others`;
      throw new EngineError({ code: "NOT_FOUND", operation, resource: serviceId, message });
    }
    const others = all.filter((c) => parseDeploymentLabel(c.Labels) !== keepDeploymentId);
    await this.forEach(operation, serviceId, others, (c) => stopAndRemove(this.api, c.Id, graceSeconds));
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
    const all = await listManagedContainers(this.api, serviceId);
    await this.forEach(operation, serviceId, all, (c) => stopAndRemove(this.api, c.Id, DEFAULT_GRACE_SECONDS));
  }

  async listManaged(filter: { serviceId?: string } = {}): Promise<ManagedContainer[]> {
    if (filter.serviceId !== undefined) assertValidId(filter.serviceId, "service id", "list containers");
    const listed = await listManagedContainers(this.api, filter.serviceId);
    const inspected = await Promise.all(listed.map((c) => inspectContainer(this.api, c.Id)));
    return inspected
      .map((info) => (info === null ? null : toManagedContainer(info)))
      .filter((c): c is ManagedContainer => c !== null)
      .sort((a, b) => a.containerName.localeCompare(b.containerName));
  }

  async removeContainer(containerId: string): Promise<void> {
    assertValidContainerRef(containerId, "remove container");
    const id = await requireManagedContainer(this.api, containerId, "remove container");
    await stopAndRemove(this.api, id, DEFAULT_GRACE_SECONDS);
  }

  followLogs(containerId: string, opts: FollowLogsOptions, onLine: (line: LogLine) => void, onEnd?: (err?: Error) => void): Promise<() => void> {
    assertValidContainerRef(containerId, "follow logs");
    return followLogs(this.api, containerId, opts, onLine, onEnd);
  }

  removeRepositoryImages(repository: string): Promise<number> {
    return removeRepositoryImages(this.api, repository);
  }

  /** Build an image from an in-memory context (not part of the port; used by tests and builds). */
  buildImage(options: BuildImageOptions): Promise<BuildImageResult> {
    return buildImage(this.api.docker, options);
  }

  /** Run `action` on every container, all of them even if some fail; then report the failures together. */
  private async forEach(operation: string, resource: string, containers: ContainerInfo[], action: (c: ContainerInfo) => Promise<void>): Promise<void> {
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
