import { EventEmitter } from "node:events";
import type { DeploymentStatus } from "@berth/db";

/** One stored line of a deployment's log. */
export interface DeploymentLogLine {
  deploymentId: string;
  seq: number;
  stream: "stdout" | "stderr" | "system";
  text: string;
  time: string;
}

export interface DeploymentStatusEvent {
  deploymentId: string;
  serviceId: string;
  /** The service's team: whose rooms hear it (no lookup per event). */
  teamId: string;
  status: DeploymentStatus;
  /** Set when another process published it (Postgres NOTIFY): for viewers, not for side effects. */
  remote?: true;
}

/**
 * In-process fan-out of deployment log lines (after they are stored) and status changes.
 * The realtime gateway listens; the worker and the use cases publish. `PgDeploymentEvents`
 * (pg-events.ts) extends it across processes.
 */
export class DeploymentEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publishLines(deploymentId: string, lines: DeploymentLogLine[]): void {
    this.emitter.emit(`lines:${deploymentId}`, lines);
  }

  onLines(deploymentId: string, listener: (lines: DeploymentLogLine[]) => void): () => void {
    this.emitter.on(`lines:${deploymentId}`, listener);
    return () => this.emitter.off(`lines:${deploymentId}`, listener);
  }

  /** Whether anyone in this process follows the deployment's lines. */
  hasLineListeners(deploymentId: string): boolean {
    return this.emitter.listenerCount(`lines:${deploymentId}`) > 0;
  }

  publishStatus(event: DeploymentStatusEvent): void {
    this.emitter.emit("status", event);
  }

  onStatus(listener: (event: DeploymentStatusEvent) => void): () => void {
    this.emitter.on("status", listener);
    return () => this.emitter.off("status", listener);
  }
}
