import { EventEmitter } from "node:events";
import type { MetricPoint } from "./aggregate.ts";

export interface ServicePointEvent {
  serviceId: string;
  teamId: string;
  point: MetricPoint;
}

/**
 * In-process fan-out of live metrics points (every sampler tick) to the realtime gateway, and
 * the sampler's points not stored yet, so a history read right after a reload misses none.
 */
export class MetricsBus {
  private readonly emitter = new EventEmitter();
  private pendingSource: (serviceId: string | null) => MetricPoint[] = () => [];

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publishService(event: ServicePointEvent): void {
    this.emitter.emit("service", event);
  }

  onService(listener: (event: ServicePointEvent) => void): () => void {
    this.emitter.on("service", listener);
    return () => this.emitter.off("service", listener);
  }

  publishHost(point: MetricPoint): void {
    this.emitter.emit("host", point);
  }

  onHost(listener: (point: MetricPoint) => void): () => void {
    this.emitter.on("host", listener);
    return () => this.emitter.off("host", listener);
  }

  /** Set by the sampler: the points of its current window (not stored yet) of a service, or the host (null). */
  setPendingSource(source: (serviceId: string | null) => MetricPoint[]): void {
    this.pendingSource = source;
  }

  /** The points published since the last stored window, oldest first. */
  pending(serviceId: string | null): MetricPoint[] {
    return this.pendingSource(serviceId);
  }
}
