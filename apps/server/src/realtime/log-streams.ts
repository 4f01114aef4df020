import type { RealtimeSocket } from "./events.ts";
import type { Deps } from "../deps.ts";
import { followServiceLogs, type ServiceLogLine } from "../services/follow-service-logs.ts";

/** The live runtime-log followers of one socket, one per service it watches (`logs:lines` batches). */
export class SocketLogStreams {
  private readonly stops = new Map<string, { stop: () => void }>();

  constructor(
    private readonly socket: RealtimeSocket,
    private readonly deps: Pick<Deps, "db" | "engine" | "log" | "env" | "box">,
  ) {}

  /**
   * Follow the service's live container, replacing an earlier follower of the same service.
   * `logs:end` is sent only when the stream ends by itself (container stopped, replaced or
   * removed), never when this server stopped the follower.
   */
  async follow(serviceId: string, options: { since?: number | undefined } = {}): Promise<void> {
    this.stop(serviceId);
    let ended = false;
    const follower = { stop: () => undefined as void };
    // Lines that arrive together (one engine chunk) go out as one event: under a flood that
    // is one emit per chunk instead of per line; a lone line still leaves at the next tick.
    let pending: ServiceLogLine[] = [];
    let scheduled = false;
    const flush = () => {
      scheduled = false;
      const lines = pending;
      pending = [];
      if (lines.length > 0) this.socket.emit("logs:lines", { serviceId, lines });
    };
    const stop = await followServiceLogs(
      this.deps,
      serviceId,
      options,
      (line) => {
        pending.push(line);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      },
      (err) => {
        if (ended) return;
        ended = true;
        flush();
        if (this.stops.get(serviceId) !== follower) return; // stopped by us: not an end of the container
        this.stops.delete(serviceId);
        this.socket.emit("logs:end", { serviceId, reason: err ? `Log stream failed: ${err.message}` : "The container stopped" });
      },
    );
    if (!stop) {
      this.socket.emit("logs:end", { serviceId, reason: "The service has no running container" });
      return;
    }
    follower.stop = stop;
    if (ended) {
      this.socket.emit("logs:end", { serviceId, reason: "The container stopped" });
      return;
    }
    // A concurrent follow() of the same service may have finished first: keep only the newest.
    const previous = this.stops.get(serviceId);
    this.stops.set(serviceId, follower);
    previous?.stop();
  }

  stop(serviceId: string): void {
    const follower = this.stops.get(serviceId);
    this.stops.delete(serviceId);
    follower?.stop();
  }

  stopAll(): void {
    for (const serviceId of [...this.stops.keys()]) this.stop(serviceId);
  }
}
