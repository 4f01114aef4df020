import type { ContainerEngine, LogLine } from "@berth/engine";

/** A runtime log line; a cluster service's lines name their task (`#2 on node-b`) and its id. */
export type ServiceLogLine = LogLine & { task?: string; taskId?: string };

/** One container's log as the hub follows it: on Berth's engine, or a cluster task's on its node's. */
export interface LogTarget {
  /** The stream's key (and broadcast room): the container id, prefixed by the node for a task. */
  key: string;
  containerId: string;
  engine: Pick<ContainerEngine, "followLogs" | "readLogsInto">;
  task?: { id: string; label: string };
}

/** The followed service, as the caller loaded it when it authorized the viewer (not loaded again). */
export interface FollowedService {
  id: string;
  projectId: string;
  placement: string;
  serverId: string | null;
}

/** One viewer of a service's runtime log, as the transport delivers to it. */
export interface LogFollower {
  /** Lines for this follower alone: its history, then live lines until it has caught up. */
  lines(lines: ServiceLogLine[]): void;
  /**
   * From now on this follower's lines come through the hub's `broadcast` for `streamKey`
   * (join the broadcast group here, synchronously: the next broadcast must reach it).
   */
  live(streamKey: string): void;
  /** The stream ended by itself (container stopped, replaced or removed; or it failed). */
  end(reason: string): void;
}
