import { createHash } from "node:crypto";
import type { Db } from "@berth/db";
import type { SealedBox } from "../secrets/sealed-box.ts";
import type { Log } from "../log.ts";
import { CaddyAdmin, ProxyUnreachableError } from "./caddy-admin.ts";
import {
  buildCaddyConfig,
  MARK_DURATION_S,
  ROUTES_MARKER,
  type DashboardRoute,
  type ProxyListen,
  type ProxyRoute,
} from "./caddy-config.ts";
import { readDashboardDomain } from "../instance/dashboard-origin.ts";
import { loadDesiredRoutes, loadTlsSettings, type ClusterRouting } from "./desired-routes.ts";
import { partitionRoutes, type SkippedRoute } from "./route-check.ts";
import { idleUpstreams } from "./idle-upstreams.ts";
import { portOfAddress } from "./upstream-ports.ts";

export interface ProxyStatus {
  state: "up" | "down";
  /** Why the proxy is down, or why the last apply was refused. */
  error?: string;
  lastAppliedAt?: string;
  routes: number;
  /** Domains left out of the config because Caddy must not get them (see route-check.ts). */
  skipped?: SkippedRoute[];
}

export interface EdgeProxyOptions {
  db: Db;
  log: Log;
  admin: CaddyAdmin;
  /** Opens uploaded certificates' private keys (sealed at rest). */
  box: SealedBox;
  listen: ProxyListen;
  /** Where the dashboard domain (when one is set) is proxied to, and the token that proves the proxy. */
  dashboard: Omit<DashboardRoute, "hostname">;
  /** Where cluster services' domains go (every node's edge port) and their route keys' secret. */
  cluster: ClusterRouting;
  /** How often the proxy is pinged and desired state compared (default 1000 ms). */
  watchMs?: number;
  /** Longest wait for in-flight requests to an old release after a switch (default 10 s). */
  drainMs?: number;
}

/** How long a config Caddy refused waits before it is loaded again (the watcher ticks faster). */
const REJECTED_RETRY_MS = 5_000;

/**
 * Keeps Caddy serving the routes Postgres describes. Every apply is the whole config (POST
 * /load), serialized. A watcher pings the admin API: when Caddy restarted (our marker is
 * gone) or the desired routes changed, it applies again; while Caddy is down the status says so.
 * Each tick also marks the idle upstreams (see idleUpstreams) so Caddy only chooses healthy ones.
 */
export class EdgeProxy {
  private chain: Promise<unknown> = Promise.resolve();
  private appliedHash = "";
  /** A config Caddy refused, and when: tried again after REJECTED_RETRY_MS, not on every tick. */
  private rejected: { hash: string; at: number } | null = null;
  private timer: NodeJS.Timeout | undefined;
  private current: ProxyStatus = { state: "down", error: "not checked yet", routes: 0 };
  /** The routes of the last apply (loaded from Postgres), for the idle marks. */
  private routes: ProxyRoute[] = [];

  constructor(private readonly o: EdgeProxyOptions) {}

  get admin(): CaddyAdmin {
    return this.o.admin;
  }

  status(): ProxyStatus {
    return this.current;
  }

  /** Compute the desired config and load it unless Caddy already runs exactly it. */
  apply(force = false): Promise<void> {
    const run = this.chain.then(() => this.applyNow(force));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async applyNow(force: boolean): Promise<void> {
    const [desired, tls, dashboardDomain] = await Promise.all([
      loadDesiredRoutes(this.o.db, this.o.box, this.o.cluster),
      loadTlsSettings(this.o.db),
      readDashboardDomain(this.o.db),
    ]);
    // One bad domain is left out and reported; it cannot make Caddy refuse everyone's routes.
    const { routes, skipped } = partitionRoutes(desired);
    this.routes = routes;
    const dashboard = dashboardDomain ? { hostname: dashboardDomain, ...this.o.dashboard } : undefined;
    const config = buildCaddyConfig({ routes, listen: this.o.listen, tls, ...(dashboard ? { dashboard } : {}) });
    const hash = createHash("sha256").update(JSON.stringify(config)).digest("hex");
    if (!force && hash === this.appliedHash) return;
    if (!force && this.rejected?.hash === hash && Date.now() - this.rejected.at < REJECTED_RETRY_MS) return;
    try {
      await this.o.admin.load(config);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.appliedHash = "";
      if (err instanceof ProxyUnreachableError) {
        this.current = { ...this.current, state: "down", error: message, skipped };
      } else {
        // Caddy refused it and keeps serving the last good config. Tried again a little later,
        // not never: a refusal can be passing (a listener or certificate step that failed once),
        // and until this config loads the routes Caddy serves are older than Postgres says.
        this.current = { ...this.current, state: "up", error: message, skipped };
        this.rejected = { hash, at: Date.now() };
      }
      throw err;
    }
    this.appliedHash = hash;
    this.rejected = null;
    // A route that just appeared (a first release, a start) lists its idle ports too: mark them
    // now, not at the watcher's next tick, so no request reaches one in between.
    await this.mark(idleUpstreams(routes));
    this.current = {
      state: "up",
      lastAppliedAt: new Date().toISOString(),
      routes: routes.length,
      ...(skipped.length > 0 ? { skipped } : {}),
    };
    if (skipped.length > 0) this.o.log.warn({ skipped }, "edge proxy: domains left out of the config");
    this.o.log.info({ routes: routes.length }, "edge proxy configured");
  }

  /** One watcher tick: re-apply after a proxy restart, or when the desired routes changed. */
  async check(): Promise<void> {
    let fresh: boolean;
    try {
      fresh = !(await this.o.admin.hasId(ROUTES_MARKER));
    } catch (err) {
      if (this.current.state === "up") this.o.log.warn({ err: String(err) }, "edge proxy is down");
      this.current = { ...this.current, state: "down", error: err instanceof Error ? err.message : String(err) };
      this.appliedHash = "";
      return;
    }
    if (fresh && this.appliedHash !== "") this.o.log.warn("edge proxy restarted without Berth's routes; restoring them");
    await this.apply(fresh).catch((err: unknown) => this.o.log.warn({ err: String(err) }, "edge proxy apply failed"));
    // Not awaited: a mark that reaches a starting release waits for its answer, and the other
    // marks must be renewed on time.
    void this.mark(idleUpstreams(this.routes));
  }

  start(): void {
    const tick = (): void => {
      void this.check().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.o.watchMs ?? 1000).unref();
      });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  /**
   * Hand-over, called once the new release is healthy: make sure Caddy routes the service (a
   * no-op on redeploys: every upstream port of the service is always in the config, so nothing
   * reloads), take the old release's ports out of rotation (marked, see caddy-config.ts
   * markServer), then wait until they have no request in flight before the engine stops them.
   * The mark is renewed until the caller calls the returned function (once the engine has
   * stopped the old release: a refused dial is then retried elsewhere), 30 s at most. An
   * unreachable proxy does not fail the deploy (the watcher restores routes from Postgres when
   * it is back); a rejected config does.
   */
  async handover(serviceId: string, previous: string[], keep: string[]): Promise<() => void> {
    try {
      await this.apply();
    } catch (err) {
      if (err instanceof ProxyUnreachableError) {
        await this.setServing(serviceId, keep);
        return () => undefined;
      }
      throw err;
    }
    const old = previous.filter((a) => !keep.includes(a));
    // The new release's ports were kept out of rotation while it started (idle marks): both
    // releases serve until they are in it, so the old one never leaves before the new one is in.
    await this.setServing(serviceId, [...old, ...keep]);
    await this.untilUnmarked(keep);
    await this.setServing(serviceId, keep);
    if (old.length === 0) return () => undefined;
    await this.mark(old);
    await this.drain(old);
    return this.renewMarks(old, 30_000);
  }

  /** Take addresses out of rotation for MARK_DURATION_S (one request each through the mark server). */
  private async mark(addresses: string[]): Promise<void> {
    const port = this.o.listen.markPort;
    if (port === undefined) return;
    await Promise.all(
      addresses.map((address) =>
        fetch(`http://127.0.0.1:${port}/${portOfAddress(address)}`, { signal: AbortSignal.timeout(2000) })
          .then((res) => res.body?.cancel())
          .catch(() => undefined),
      ),
    );
  }

  /** Record the ports the proxy may send the service's requests to (the watcher marks the others). */
  private async setServing(serviceId: string, addresses: string[]): Promise<void> {
    await this.o.db.service.updateMany({ where: { id: serviceId }, data: { servingPorts: [...new Set(addresses)].map(portOfAddress) } });
  }

  /** Wait until the addresses are in rotation: the watcher (maybe in another process) saw them serving and their last mark expired. */
  private async untilUnmarked(addresses: string[]): Promise<void> {
    if (this.o.listen.markPort === undefined || addresses.length === 0) return;
    const deadline = Date.now() + MARK_DURATION_S * 1000 + (this.o.watchMs ?? 1000) + 1000;
    while (Date.now() < deadline) {
      const marked = (await this.o.admin.upstreams().catch(() => [])).filter((u) => addresses.includes(u.address) && u.fails > 0);
      if (marked.length === 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Keep addresses marked (renewed at half the mark's duration) until the returned function is called. */
  private renewMarks(addresses: string[], atMostMs: number): () => void {
    if (this.o.listen.markPort === undefined) return () => undefined;
    const until = Date.now() + atMostMs;
    let stopped = false;
    const tick = (): void => {
      if (stopped || Date.now() >= until) return;
      void this.mark(addresses).finally(() => setTimeout(tick, (MARK_DURATION_S * 1000) / 2).unref());
    };
    setTimeout(tick, (MARK_DURATION_S * 1000) / 2).unref();
    return () => {
      stopped = true;
    };
  }

  private async drain(addresses: string[]): Promise<void> {
    const deadline = Date.now() + (this.o.drainMs ?? 10_000);
    let renewAt = Date.now() + (MARK_DURATION_S * 1000) / 2;
    while (Date.now() < deadline) {
      const busy = (await this.o.admin.upstreams().catch(() => [])).filter((u) => addresses.includes(u.address) && u.num_requests > 0);
      if (busy.length === 0) return;
      if (Date.now() >= renewAt) {
        await this.mark(addresses);
        renewAt = Date.now() + (MARK_DURATION_S * 1000) / 2;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    this.o.log.warn({ addresses }, "old release still had requests in flight after the drain deadline");
  }
}
