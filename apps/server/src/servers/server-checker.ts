/**
 * Checks every server periodically, in ONE process on the database (a LeaderLease, like the
 * metrics sampler): two Berth processes would otherwise double the SSH and TLS handshakes.
 * One server at a time; each check is bounded (check-server.ts), so a dead host cannot stall it.
 */
import type { Deps } from "../deps.ts";
import type { LeaderLease } from "../instance/leader-lease.ts";
import { checkServer } from "./check-server.ts";
import { refreshClusterNodes } from "../cluster/refresh-nodes.ts";

export const SERVER_CHECK_INTERVAL_MS = 60_000;

export class ServerChecker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly deps: Pick<Deps, "db" | "env" | "log" | "box">,
    private readonly lease: LeaderLease,
    private readonly intervalMs = SERVER_CHECK_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.lease.start();
    this.timer = setInterval(() => {
      this.running = this.running.then(() => this.checkAll());
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    await this.lease.stop();
  }

  /** One round over every server (only while this process holds the lease). */
  async checkAll(): Promise<void> {
    if (!this.lease.held) return;
    try {
      const servers = await this.deps.db.server.findMany({ select: { id: true } });
      for (const { id } of servers) {
        if (this.stopped) return;
        await checkServer(this.deps, id).catch((err: unknown) =>
          this.deps.log.warn({ serverId: id, err: String(err) }, "server check failed"),
        );
      }
      // Cluster mode: node states as a manager sees them (a stopped engine's node goes down).
      await refreshClusterNodes(this.deps).catch((err: unknown) => this.deps.log.warn({ err: String(err) }, "cluster node refresh failed"));
    } catch (err) {
      this.deps.log.warn({ err: String(err) }, "server checks skipped");
    }
  }
}
