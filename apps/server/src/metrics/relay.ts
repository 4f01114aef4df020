/**
 * Live metrics across processes: only the process holding the "metrics-sampler" lease samples
 * (one stats stream per container, one stored row per window); it announces each tick's points
 * with Postgres NOTIFY, and the other processes hand them to their own bus (their viewers' live
 * charts) and keep the last window's as "pending" (what a history read adds to the stored rows).
 * Points carry numbers and ids only, never anything secret.
 */
import { randomUUID } from "node:crypto";
import { listenForNotifications, type NotificationListener } from "@berth/db";
import type { Deps } from "../deps.ts";
import type { MetricPoint } from "./aggregate.ts";
import type { MetricsBus, ServicePointEvent } from "./bus.ts";

export const METRICS_CHANNEL = "berth_metrics";
/** NOTIFY payloads must stay under 8000 bytes: a tick's points are sent in chunks of this many. */
const POINTS_PER_NOTICE = 20;

interface Notice {
  o: string;
  host?: MetricPoint;
  services: { s: string; t: string; p: MetricPoint }[];
}

export class MetricsRelay {
  private readonly origin = randomUUID();
  private listener: NotificationListener | null = null;
  private sending: Promise<void> = Promise.resolve();
  /** Points received from the leader, per service (null: the host), for `pending`. */
  private readonly received = new Map<string | null, MetricPoint[]>();

  constructor(
    private readonly deps: Pick<Deps, "db" | "log"> & { databaseUrl: string },
    private readonly bus: MetricsBus,
    private readonly windowMs: number,
  ) {}

  start(): void {
    this.listener ??= listenForNotifications({
      databaseUrl: this.deps.databaseUrl,
      channel: METRICS_CHANNEL,
      onNotification: (payload) => this.receive(payload),
      onError: (err) => this.deps.log.warn({ err: String(err) }, "metrics relay: LISTEN connection lost; reconnecting"),
    });
  }

  async close(): Promise<void> {
    await this.listener?.close();
    this.listener = null;
    await this.sending;
  }

  /** The leader's points of one tick, to the other processes. */
  announce(services: ServicePointEvent[], host: MetricPoint): void {
    const all = services.map((e) => ({ s: e.serviceId, t: e.teamId, p: e.point }));
    const notices: Notice[] = [{ o: this.origin, host, services: all.slice(0, POINTS_PER_NOTICE) }];
    for (let i = POINTS_PER_NOTICE; i < all.length; i += POINTS_PER_NOTICE)
      notices.push({ o: this.origin, services: all.slice(i, i + POINTS_PER_NOTICE) });
    this.sending = this.sending.then(async () => {
      for (const notice of notices) {
        await this.deps.db.$executeRaw`SELECT pg_notify(${METRICS_CHANNEL}, ${JSON.stringify(notice)})`.catch((err: unknown) =>
          this.deps.log.warn({ err: String(err) }, "metrics relay: NOTIFY failed"),
        );
      }
    });
  }

  /** Points received in the last window (not stored yet by the leader, as far as this process knows). */
  pending(key: string | null): MetricPoint[] {
    const since = Date.now() - this.windowMs;
    return (this.received.get(key) ?? []).filter((p) => Date.parse(p.time) >= since);
  }

  /** Forget what was received (this process leads now: its own windows are the pending ones). */
  clear(): void {
    this.received.clear();
  }

  private keep(key: string | null, point: MetricPoint): void {
    const since = Date.now() - this.windowMs;
    const kept = (this.received.get(key) ?? []).filter((p) => Date.parse(p.time) >= since);
    kept.push(point);
    this.received.set(key, kept);
  }

  private receive(payload: string): void {
    let notice: Notice;
    try {
      notice = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (notice.o === this.origin || !Array.isArray(notice.services)) return;
    for (const { s, t, p } of notice.services) {
      this.keep(s, p);
      this.bus.publishService({ serviceId: s, teamId: t, point: p });
    }
    if (notice.host) {
      this.keep(null, notice.host);
      this.bus.publishHost(notice.host);
    }
  }
}
