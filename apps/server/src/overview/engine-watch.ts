/**
 * Follows the engine's events for every Berth container (one stream for the process): keeps
 * each service's recent deaths and OOM kills (crash-loop and OOM detection for the overview)
 * and tells listeners which team's services changed. Reconnects after the stream ends.
 *
 * Only real exits count as deaths: a `die` that follows a `kill` of the same container (a stop
 * or removal asked through the API -- Berth retiring the old release after a redeploy, stopping
 * or deleting a service, or an operator) is planned and never makes a crash loop.
 */
import type { ContainerEngine, EngineEvent } from "@berth/engine";
import type { Log } from "../log.ts";
import type { RecentEvents } from "./service-status.ts";

export const CRASH_WINDOW_MS = 5 * 60_000;
export const OOM_WINDOW_MS = 60 * 60_000;
/** How long a kill (stop with a grace period, then SIGKILL) may precede its die. */
const KILL_MEMORY_MS = 10 * 60_000;
const RETRY_MS = 2_000;

export interface ServiceChange {
  teamId: string;
  serviceId: string;
  /** An engine event, or "desired" when the user stopped/started the service. */
  type: EngineEvent["type"] | "desired";
}

/** Its own narrow needs, not a Pick of Deps: Deps holds the watch, so that would be a circle. */
export interface EngineWatchDeps {
  engine: ContainerEngine;
  log: Log;
}

export class EngineWatch {
  private readonly dies = new Map<string, number[]>();
  private readonly ooms = new Map<string, number>();
  /** Containers whose current run was OOM-killed (cleared when it starts again). */
  private readonly oomKilledRuns = new Set<string>();
  /** Containers asked to stop (containerId -> time of the kill): their next die is planned. */
  private readonly stopping = new Map<string, number>();
  private readonly listeners = new Set<(change: ServiceChange) => void>();
  private readonly connectListeners = new Set<() => void>();
  private stopStream: (() => void) | null = null;
  private retry: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly deps: EngineWatchDeps,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.retry) clearTimeout(this.retry);
    this.stopStream?.();
    this.stopStream = null;
  }

  onChange(listener: (change: ServiceChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called whenever the event stream (re)connects: the engine answers again (e.g. after it
   * restarted), and whatever happened while it was not followed is unknown.
   */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  /** Record an event (the stream calls this; tests may too). */
  record(event: EngineEvent): void {
    const at = Date.parse(event.time) || this.now();
    const serviceId = event.owner.serviceId;
    if (event.type === "kill") this.markStopping(event.containerId, at);
    if (event.type === "die" && !this.stopping.delete(event.containerId)) this.dies.set(serviceId, [...this.recentDies(serviceId), at]);
    if (event.type === "oom") {
      this.ooms.set(serviceId, at);
      this.oomKilledRuns.add(event.containerId);
    }
    if (event.type === "start" || event.type === "destroy") this.oomKilledRuns.delete(event.containerId);
    this.notify({ teamId: event.owner.teamId, serviceId, type: event.type });
  }

  /** Tell listeners a service changed (engine events, or its desired state). */
  notify(change: ServiceChange): void {
    for (const listener of this.listeners) listener(change);
  }

  recent(serviceId: string): RecentEvents {
    const oom = this.ooms.get(serviceId);
    return {
      dies: this.recentDies(serviceId).length,
      lastOomAt: oom !== undefined && oom > this.now() - OOM_WINDOW_MS ? new Date(oom).toISOString() : null,
    };
  }

  /**
   * Whether the engine reported an OOM kill for this container since it last started: its
   * inspect record can miss it (the engine's OOM and exit events race), the event does not.
   */
  oomKilledSinceStart(containerId: string): boolean {
    return this.oomKilledRuns.has(containerId);
  }

  private markStopping(containerId: string, at: number): void {
    for (const [id, time] of this.stopping) if (time < at - KILL_MEMORY_MS) this.stopping.delete(id);
    this.stopping.set(containerId, at);
  }

  private recentDies(serviceId: string): number[] {
    const cutoff = this.now() - CRASH_WINDOW_MS;
    const kept = (this.dies.get(serviceId) ?? []).filter((t) => t > cutoff);
    if (kept.length === 0) this.dies.delete(serviceId);
    else this.dies.set(serviceId, kept);
    return kept;
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    try {
      this.stopStream = await this.deps.engine.followEvents(
        {},
        (e) => this.record(e),
        (err) => {
          if (err) this.deps.log.warn({ err: err.message }, "engine event stream ended");
          this.again();
        },
      );
      for (const listener of this.connectListeners) listener();
    } catch (err) {
      this.deps.log.warn({ err: String(err) }, "engine event stream unavailable");
      this.again();
    }
  }

  private again(): void {
    this.stopStream = null;
    if (!this.running) return;
    this.retry = setTimeout(() => void this.connect(), RETRY_MS);
    this.retry.unref();
  }
}
