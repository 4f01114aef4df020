/**
 * The metrics sampler: follows the stats stream of every running Berth container (and of every
 * running task of a cluster service, through its node's engine: cluster-targets.ts), publishes
 * one point per service (replicas summed) and one for the host every tick, and stores the
 * mean of each window (default one row per service per 10 s), pruning rows past the hour.
 */
import type { ManagedContainer, StatsSample } from "@berth/engine";
import type { Deps } from "../deps.ts";
import { aggregateByService, meanPoint, networkRates, type ContainerReading, type MetricPoint } from "./aggregate.ts";
import type { MetricsBus, ServicePointEvent } from "./bus.ts";
import { ClusterStatsTargets, type StatsTarget } from "./cluster-targets.ts";
import { HostStats } from "./host-stats.ts";
import type { MetricsRelay } from "./relay.ts";
import { METRICS_RETENTION_MS, METRICS_WINDOW_MS, pruneSamples, storePoints } from "./store.ts";

export interface SamplerOptions {
  tickMs?: number;
  persistEveryMs?: number;
  retentionMs?: number;
  /**
   * With several Berth processes on one database: sample only while holding the lease, and
   * relay the points to the others (who hand them to their viewers). Without it: always sample.
   */
  election?: { lease: { readonly held: boolean }; relay: MetricsRelay };
}

interface Followed {
  serviceId: string;
  teamId: string;
  stop: () => void;
  reading: ContainerReading | null;
  prev: StatsSample | null;
}

/** A reading older than this is left out (the container stopped sending). */
const STALE_MS = 5_000;

export class MetricsSampler {
  private readonly followed = new Map<string, Followed>();
  /** Listed services this instance knows, and those it does not (ofThisInstance). */
  private services = { mine: new Set<string>(), foreign: new Set<string>() };
  private readonly windows = new Map<string | null, MetricPoint[]>();
  private readonly host = new HostStats();
  private readonly clusterTargets: ClusterStatsTargets;
  private timer: NodeJS.Timeout | null = null;
  private lastPersist = Date.now();
  private ticking = false;
  private stopped = false;
  private readonly tickMs: number;
  private readonly persistEveryMs: number;
  private readonly retentionMs: number;
  private readonly election: SamplerOptions["election"];
  private leading = false;

  constructor(
    private readonly deps: Pick<Deps, "db" | "engine" | "log" | "box">,
    private readonly bus: MetricsBus,
    options: SamplerOptions = {},
  ) {
    this.tickMs = options.tickMs ?? 2_000;
    this.persistEveryMs = options.persistEveryMs ?? METRICS_WINDOW_MS;
    this.retentionMs = options.retentionMs ?? METRICS_RETENTION_MS;
    this.election = options.election;
    this.clusterTargets = new ClusterStatsTargets(deps);
    bus.setPendingSource((key) => (this.election && !this.leading ? this.election.relay.pending(key) : [...(this.windows.get(key) ?? [])]));
  }

  start(): void {
    if (this.timer) return;
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const f of this.followed.values()) f.stop();
    this.followed.clear();
  }

  /** One round: follow new containers, publish points, store a window when it is due. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.round();
    } catch (err) {
      this.deps.log.warn({ err: String(err) }, "metrics sampling skipped a round");
    } finally {
      this.ticking = false;
    }
  }

  /** Whether this process samples now; on a change of leader, streams are closed or windows begin. */
  private lead(now: number): boolean {
    const held = this.election ? this.election.lease.held : true;
    if (held && !this.leading) {
      this.election?.relay.clear();
      this.lastPersist = now;
    }
    if (!held && this.leading) {
      for (const f of this.followed.values()) f.stop();
      this.followed.clear();
      this.windows.clear();
    }
    this.leading = held;
    return held;
  }

  private async round(): Promise<void> {
    const now = Date.now();
    if (!this.lead(now)) return;
    const time = new Date(now).toISOString();
    const containers = await this.ofThisInstance(await this.deps.engine.listManaged());
    const local = containers
      .filter((c) => c.state === "running")
      .map((c) => ({
        key: c.containerId,
        containerId: c.containerId,
        serviceId: c.owner.serviceId,
        teamId: c.owner.teamId,
        engine: this.deps.engine,
      }));
    // A cluster service's tasks, through their nodes' engines (Swarm replaces a task rather than restarting it),
    // and the live containers of services on standalone remote servers, through theirs.
    const tasks = this.clusterTargets.current(now);
    await this.follow([...local, ...tasks]);
    const restarts = new Map<string, number>();
    const teams = new Map<string, string>(tasks.map((t) => [t.serviceId, t.teamId]));
    for (const c of containers) {
      restarts.set(c.owner.serviceId, (restarts.get(c.owner.serviceId) ?? 0) + c.restartCount);
      teams.set(c.owner.serviceId, c.owner.teamId);
    }
    const fresh = [...this.followed.values()].flatMap((f) =>
      f.reading && now - Date.parse(f.reading.sample.time) < STALE_MS ? [f.reading] : [],
    );
    const published: ServicePointEvent[] = [];
    for (const [serviceId, point] of aggregateByService(fresh, restarts, time)) {
      this.window(serviceId).push(point);
      const event = { serviceId, teamId: teams.get(serviceId) ?? "", point };
      this.bus.publishService(event);
      published.push(event);
    }
    const hostPoint = await this.host.read();
    this.window(null).push(hostPoint);
    this.bus.publishHost(hostPoint);
    this.election?.relay.announce(published, hostPoint);
    if (now - this.lastPersist >= this.persistEveryMs) await this.persist(now);
  }

  private window(key: string | null): MetricPoint[] {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = []));
    return w;
  }

  /**
   * The containers of services this instance knows. Another Berth database's containers on the
   * same engine (a test run beside a running Berth) carry Berth's labels too: following them cost
   * a stats stream each, and their points could not be stored (each window's insert failed once
   * before storePoints kept the others). A service is looked up once, when its first container is
   * listed (not every round); ids no longer listed are forgotten.
   */
  private async ofThisInstance(containers: ManagedContainer[]): Promise<ManagedContainer[]> {
    const ids = [...new Set(containers.map((c) => c.owner.serviceId))];
    const unseen = ids.filter((id) => !this.services.mine.has(id) && !this.services.foreign.has(id));
    const found =
      unseen.length === 0
        ? new Set<string>()
        : new Set((await this.deps.db.service.findMany({ where: { id: { in: unseen } }, select: { id: true } })).map((s) => s.id));
    const mine = new Set(ids.filter((id) => this.services.mine.has(id) || found.has(id)));
    this.services = { mine, foreign: new Set(ids.filter((id) => !mine.has(id))) };
    return containers.filter((c) => mine.has(c.owner.serviceId));
  }

  private async persist(now: number): Promise<void> {
    this.lastPersist = now;
    const rows = [...this.windows].flatMap(([serviceId, points]) => {
      const point = meanPoint(points);
      return point ? [{ serviceId, point }] : [];
    });
    try {
      await storePoints(this.deps.db, rows);
    } finally {
      // Cleared once stored: until then a history read still finds these points as pending.
      this.windows.clear();
    }
    await pruneSamples(this.deps.db, this.retentionMs, now);
  }

  private async follow(running: StatsTarget[]): Promise<void> {
    const ids = new Set(running.map((c) => c.key));
    for (const [id, f] of this.followed) {
      if (ids.has(id)) continue;
      f.stop();
      this.followed.delete(id);
    }
    for (const c of running) {
      if (this.followed.has(c.key)) continue;
      const entry: Followed = { serviceId: c.serviceId, teamId: c.teamId, stop: () => undefined, reading: null, prev: null };
      this.followed.set(c.key, entry);
      try {
        entry.stop = await c.engine.followStats(
          c.containerId,
          (sample) => {
            entry.reading = { serviceId: entry.serviceId, sample, ...networkRates(entry.prev, sample) };
            entry.prev = sample;
          },
          () => {
            if (this.followed.get(c.key) === entry) this.followed.delete(c.key);
          },
        );
        // Stopped while this stream was being opened: close it too.
        if (this.stopped) entry.stop();
      } catch (err) {
        // Gone between list and follow: the next round decides again.
        this.followed.delete(c.key);
        this.deps.log.debug({ containerId: c.containerId, err: String(err) }, "stats not followed");
      }
    }
  }
}
