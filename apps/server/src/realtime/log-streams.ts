import type { RealtimeServer, RealtimeSocket } from "./events.ts";
import type { Deps } from "../deps.ts";
import { type FollowedService, ServiceLogHub } from "../services/log-hub.ts";
import { packLogLines } from "./log-lines-payload.ts";

/** The socket.io room of one shared container log stream (its followers that are live). */
export const LOG_ROOM_PREFIX = "logs:";

/** The process' log hub, its batches broadcast to each stream's room: one encoding per batch for every socket. */
export function roomLogHub(io: RealtimeServer, deps: Pick<Deps, "db" | "engine" | "box" | "log">): ServiceLogHub {
  return new ServiceLogHub(deps, (streamKey, serviceId, lines) =>
    io.to(`${LOG_ROOM_PREFIX}${streamKey}`).emit("logs:lines", packLogLines(serviceId, lines)),
  );
}

interface Following {
  stop: () => void;
  /** The shared streams' rooms it is live in (a cluster service: one per task). */
  rooms: Set<string>;
}

/** The runtime-log subscriptions of one socket, one per service it watches (`logs:lines` batches). */
export class SocketLogStreams {
  private readonly following = new Map<string, Following>();

  constructor(
    private readonly socket: RealtimeSocket,
    private readonly hub: ServiceLogHub,
  ) {}

  /**
   * Follow the service's live container, replacing an earlier subscription of the same service:
   * its history comes to this socket alone, then the shared stream's batches through the room.
   * `logs:end` is sent only when the stream ends by itself (container stopped, replaced or
   * removed), never when this server stopped the subscription. `service`: as the gateway loaded
   * it when it authorized the viewer.
   */
  async follow(service: FollowedService, options: { since?: number | undefined } = {}): Promise<void> {
    const serviceId = service.id;
    this.stop(serviceId);
    const entry: Following = { stop: () => undefined, rooms: new Set() };
    let ended: string | null = null;
    const stop = await this.hub.follow(service, options, {
      lines: (lines) => this.socket.emit("logs:lines", packLogLines(serviceId, lines)),
      live: (streamKey) => {
        const room = `${LOG_ROOM_PREFIX}${streamKey}`;
        entry.rooms.add(room);
        // The in-memory adapter joins synchronously: the hub's next broadcast reaches this socket.
        void this.socket.join(room);
      },
      end: (reason) => {
        ended = reason;
        this.leaveRoom(entry);
        if (this.following.get(serviceId) !== entry) return; // stopped by us: not an end of the container
        this.following.delete(serviceId);
        this.socket.emit("logs:end", { serviceId, reason });
      },
    });
    if (!stop) {
      this.socket.emit("logs:end", { serviceId, reason: "The service has no running container" });
      return;
    }
    entry.stop = stop;
    if (ended !== null) {
      this.socket.emit("logs:end", { serviceId, reason: ended });
      return;
    }
    // A concurrent follow() of the same service may have finished first: keep only the newest.
    const previous = this.following.get(serviceId);
    this.following.set(serviceId, entry);
    if (previous) this.end(previous);
  }

  stop(serviceId: string): void {
    const entry = this.following.get(serviceId);
    this.following.delete(serviceId);
    if (entry) this.end(entry);
  }

  stopAll(): void {
    for (const serviceId of [...this.following.keys()]) this.stop(serviceId);
  }

  private end(entry: Following): void {
    this.leaveRoom(entry);
    entry.stop();
  }

  /** Rooms are a set per socket: a replaced subscription of the same container must not take the new one out. */
  private leaveRoom(entry: Following): void {
    const rooms = [...entry.rooms];
    entry.rooms.clear();
    for (const room of rooms) {
      if ([...this.following.values()].some((other) => other.rooms.has(room))) continue;
      void this.socket.leave(room);
    }
  }
}
