/** Types of the observability streams (stats, events, container status). */
import type { ContainerState, OwnerRef } from "./port-types.ts";

export interface StatsSample {
  /** ISO time the engine read the sample. */
  time: string;
  /** CPU use since the previous sample, as a percentage of one CPU (200 = two full CPUs); null for the first sample. */
  cpuPercent: number | null;
  /** Memory in use without the page cache. */
  memoryBytes: number;
  memoryLimitBytes: number;
  networkRxBytes: number;
  networkTxBytes: number;
}

interface EventBase {
  containerId: string;
  containerName: string;
  owner: OwnerRef;
  deploymentId: string;
  /** ISO time of the event. */
  time: string;
}

export type EngineEvent =
  | (EventBase & { type: "start" })
  | (EventBase & { type: "die"; exitCode: number | null })
  | (EventBase & { type: "oom" })
  /** A stop/kill asked through the API (Berth retiring a release, or an operator): the `die` that follows is planned. */
  | (EventBase & { type: "kill"; signal: number | null })
  /** The container was removed (by Berth, or by hand: the reconciler recreates a live release's). */
  | (EventBase & { type: "destroy" })
  | (EventBase & { type: "health_status"; status: "healthy" | "unhealthy" | "starting" });

export interface ContainerStatus {
  containerId: string;
  state: ContainerState;
  /** From the image's HEALTHCHECK; null when it has none. */
  health: "starting" | "healthy" | "unhealthy" | null;
  restartCount: number;
  exitCode: number | null;
  oomKilled: boolean;
  /** Its memory limit (bytes); null without one. */
  memoryLimitBytes: number | null;
  startedAt: string | null;
  finishedAt: string | null;
}
