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

/** Desired state of one release of a service (issue 2 scope: one container). */
export interface ReleaseSpec {
  owner: OwnerRef;
  /** The deployment that creates this release; part of the container name and labels. */
  deploymentId: string;
  /** Human name of the service (already validated as a DNS label); used in names. */
  serviceName: string;
  image: string;
  /** Port the process listens on inside the container; published on 127.0.0.1:<random>. */
  containerPort: number;
  env: Record<string, string>;
  /** Optional argv override for the image's CMD. */
  command?: string[];
}

export interface ReleaseInstance {
  containerId: string;
  containerName: string;
  deploymentId: string;
  /** Host port on 127.0.0.1 the container port is published on. */
  hostPort: number;
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
}

export interface RunReleaseOptions {
  /** How long the new container may take to accept TCP on its port (default 30 s). */
  readyTimeoutMs?: number;
  /** How long an image pull may take before it is abandoned (default 60 s). */
  pullTimeoutMs?: number;
}

export interface ContainerEngine {
  /** Throws EngineError ENGINE_UNAVAILABLE when the engine does not answer quickly. */
  ping(): Promise<void>;
  /**
   * Make sure the image is present: use the local one, else pull it. Throws
   * EngineError IMAGE_UNAVAILABLE with the engine's reason when neither works.
   */
  ensureImage(image: string, opts?: { timeoutMs?: number }): Promise<void>;
  /**
   * Create and start the release's container beside whatever runs now, publish its port on
   * 127.0.0.1, and wait until it is running and accepts TCP connections. On any failure the
   * new container is removed and an EngineError is thrown (HEALTHCHECK_FAILED carries the
   * container's last log lines in `details.logs`). Idempotent per deploymentId: an existing
   * container of the same deployment is replaced.
   */
  runRelease(spec: ReleaseSpec, opts?: RunReleaseOptions): Promise<ReleaseInstance>;
  /**
   * Build an image from a tar context (legacy builder: layers are cached by the engine, so a
   * rebuild of the same service reuses them). Streams output lines to `onLine`; a failed step
   * throws EngineError BUILD_FAILED, a timeout TIMEOUT, an aborted `signal` CANCELLED.
   */
  buildImage(options: BuildImageOptions): Promise<BuildImageResult>;
  /** Remove every tag of an image repository Berth owns (`berth-build/...`); returns how many. */
  removeRepositoryImages(repository: string): Promise<number>;
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
}
