import { EventEmitter } from "node:events";
import type { MetricPoint } from "./aggregate.ts";

export interface ServicePointEvent {
  serviceId: string;
  teamId: string;
  point: MetricPoint;
}

/** In-process fan-out of live metrics points (every sampler tick) to the realtime gateway. */
export class MetricsBus {
  private readonly emitter = new EventEmitter();

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
}
