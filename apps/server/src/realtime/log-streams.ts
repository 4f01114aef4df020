import type { Socket } from "socket.io";
import type { Deps } from "../deps.ts";

/** The live runtime-log followers of one socket, one per service it watches. */
export class SocketLogStreams {
  private readonly stops = new Map<string, () => void>();

  constructor(
    private readonly socket: Socket,
    private readonly deps: Pick<Deps, "db" | "engine" | "log">,
  ) {}

  /** Follow the service's live container, replacing an earlier follower of the same service. */
  async follow(serviceId: string): Promise<void> {
    this.stop(serviceId);
    const current = await this.deps.db.deployment.findFirst({
      where: { serviceId, status: "running" },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    const containers = await this.deps.engine.listManaged({ serviceId });
    const live = containers.find((c) => c.state === "running" && c.deploymentId === current?.id) ?? containers.find((c) => c.state === "running");
    if (!live) {
      this.socket.emit("logs:end", { serviceId, reason: "The service has no running container" });
      return;
    }
    let ended = false;
    const stop = await this.deps.engine.followLogs(
      live.containerId,
      { tail: 200 },
      (line) => this.socket.emit("logs:line", { serviceId, ...line }),
      (err) => {
        if (ended) return;
        ended = true;
        this.stops.delete(serviceId);
        this.socket.emit("logs:end", { serviceId, reason: err ? `Log stream failed: ${err.message}` : "The container stopped" });
      },
    );
    if (ended) stop();
    else this.stops.set(serviceId, stop);
  }

  stop(serviceId: string): void {
    this.stops.get(serviceId)?.();
    this.stops.delete(serviceId);
  }

  stopAll(): void {
    for (const serviceId of [...this.stops.keys()]) this.stop(serviceId);
  }
}
