/**
 * The reconciler: keeps the engine at the desired state Postgres holds. A pass observes
 * (observe.ts), plans (plan.ts, pure) and acts (act.ts) under each service's lease. Passes run
 * at boot (deployments/recovery.ts), every BERTH_RECONCILE_INTERVAL_S, soon after a Berth
 * container dies or is removed, whenever the engine's event stream reconnects (the engine
 * restarted), and when a deployment ends (a service is left alone while it deploys: one that
 * failed because the engine went away must not wait for the periodic pass). One pass at a time per process; a pass asked for while one runs is run once after
 * it. Back-off state is per process (a restart forgets it: the first repair is immediate).
 */
import type { Deps } from "../deps.ts";
import { isTerminalStatus } from "../deployments/statuses.ts";
import { act, type ActDeps, type Outcome, reportWaiting } from "./act.ts";
import { afterHealthy, afterRepair, type BackoffPolicy, type BackoffState, DEFAULT_BACKOFF } from "./backoff.ts";
import { observe, type ReconcileTarget } from "./observe.ts";
import { reconcileTargets } from "./targets.ts";
import { withStopCause } from "./stop-cause.ts";
import { type Action, type DesiredService, type Observation, planReconcile, servicesDown, servicesThatShouldRun } from "./plan.ts";

export type ReconcileDeps = ActDeps & Pick<Deps, "engineWatch"> & Partial<Pick<Deps, "events">>;

export interface ReconcilerOptions {
  /** 0: no periodic pass. */
  intervalMs: number;
  backoff?: BackoffPolicy;
  now?: () => number;
}

export interface PassResult {
  trigger: string;
  actions: Array<{ kind: Action["kind"]; serviceId: string; outcome: Outcome | "waiting" }>;
  /** Services that should run and did not when the pass began. */
  down: number;
}

/** Services repaired at once in a pass (one action per service per pass). */
const REPAIR_CONCURRENCY = 4;

/** After a die, wait this long before looking: a stop asked through Berth has written its desired state by then. */
const AFTER_EVENT_MS = 1_500;

export class Reconciler {
  private readonly backoffs = new Map<string, BackoffState>();
  /** `${serviceId}:${repairs}` already reported as backing off (once per step of a streak). */
  private readonly reported = new Set<string>();
  private readonly policy: BackoffPolicy;
  private readonly now: () => number;
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<PassResult | null> | null = null;
  private interval: NodeJS.Timeout | null = null;
  private soon: NodeJS.Timeout | null = null;
  /** A pass when the earliest back-off ends (no event may come to trigger one). */
  private retry: { at: number; timer: NodeJS.Timeout } | null = null;
  private unsubscribe: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly deps: ReconcileDeps,
    private readonly options: ReconcilerOptions,
  ) {
    this.policy = options.backoff ?? DEFAULT_BACKOFF;
    this.now = options.now ?? Date.now;
  }

  start(): void {
    if (this.options.intervalMs > 0) {
      this.interval = setInterval(() => void this.pass("periodic"), this.options.intervalMs);
      this.interval.unref();
    }
    const watch = this.deps.engineWatch;
    if (watch) {
      this.unsubscribe.push(
        watch.onChange((change) => {
          if (change.type === "die" || change.type === "destroy") this.passSoon(`container ${change.type}`, AFTER_EVENT_MS);
        }),
        watch.onConnect(() => {
          // The engine (re)started: its containers stopped with it, not by their own doing, so
          // no service's crash back-off holds their start (a stream that merely reconnected
          // costs a crash-looping service one early start at most).
          this.backoffs.clear();
          this.reported.clear();
          this.passSoon("engine connected", 0);
        }),
      );
    }
    const events = this.deps.events;
    if (events) {
      // Any process's worker (remote events too): a pass is idempotent and lease-guarded.
      this.unsubscribe.push(
        events.onStatus((e) => {
          if (isTerminalStatus(e.status)) this.passSoon("deployment ended", AFTER_EVENT_MS);
        }),
      );
    }
  }

  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    if (this.soon) clearTimeout(this.soon);
    if (this.retry) clearTimeout(this.retry.timer);
    this.stopped = true;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    await this.chain;
  }

  /** Run a pass after the current one (at most one waits); null when the engine or database could not be asked. */
  pass(trigger: string): Promise<PassResult | null> {
    if (this.queued) return this.queued;
    const next = this.chain.then(() => {
      this.queued = null;
      return this.run(trigger);
    });
    this.queued = next;
    this.chain = next.catch(() => undefined);
    return next;
  }

  private retryAt(at: number): void {
    if (this.stopped || (this.retry && this.retry.at <= at)) return;
    if (this.retry) clearTimeout(this.retry.timer);
    const timer = setTimeout(
      () => {
        this.retry = null;
        void this.pass("back-off ended");
      },
      Math.max(0, at - this.now()),
    );
    timer.unref();
    this.retry = { at, timer };
  }

  private passSoon(trigger: string, delayMs: number): void {
    if (this.soon) return;
    this.soon = setTimeout(() => {
      this.soon = null;
      void this.pass(trigger);
    }, delayMs);
    this.soon.unref();
  }

  private async run(trigger: string): Promise<PassResult | null> {
    const { log } = this.deps;
    let own: Observation;
    let targets: ReconcileTarget[];
    try {
      targets = await reconcileTargets(this.deps);
      own = await observe(this.deps, targets[0]!);
    } catch (err) {
      log.debug({ trigger, err: String(err) }, "reconcile: engine or database unreachable; next pass later");
      return null;
    }
    const result: PassResult = { trigger, actions: [], down: 0 };
    // Each standalone server side by side with Berth's own engine: one that answers slowly never
    // holds up the others' repairs.
    await Promise.all([
      this.keep(targets[0]!, own, result, trigger),
      ...targets.slice(1).map(async (target) => {
        let observation: Observation;
        try {
          await target.engine.ping();
          observation = await observe(this.deps, target);
        } catch (err) {
          log.debug({ trigger, serverId: target.serverId, err: String(err) }, "reconcile: a server does not answer; next pass later");
          return;
        }
        await this.keep(target, observation, result, trigger);
      }),
    ]);
    if (result.actions.some((a) => a.outcome === "done")) {
      // Routes follow the running state (a first start after a stop is a config change).
      await this.deps.proxy
        ?.apply()
        .catch((err: unknown) => log.warn({ err: String(err) }, "reconcile: proxy apply failed; the watcher retries"));
      log.info({ trigger, actions: result.actions }, "reconciled");
    }
    return result;
  }

  /** Plan and act on one engine, from what was observed there. */
  private async keep(target: ReconcileTarget, observation: Observation, result: PassResult, trigger: string): Promise<void> {
    // The target's engine for every action on it (Berth's own: these deps as they are).
    const deps = target.serverId === null ? this.deps : { ...this.deps, engine: target.engine };
    const now = this.now();
    const down = new Set(servicesDown(observation).map((s) => s.id));
    result.down += down.size;
    for (const s of servicesThatShouldRun(observation)) {
      if (down.has(s.id)) continue;
      if (afterHealthy(this.backoffs.get(s.id), now, this.policy) === undefined) this.forget(s.id);
    }
    const services = new Map(observation.services.map((s) => [s.id, s]));
    const actions = planReconcile(observation, this.backoffs, now);
    // Strays first (a start must not revive an old release's container), then networks (a start
    // needs its network), then the repairs, a few services at a time (a recreate waits for its gate).
    const first: Action[] = [...actions.filter((a) => a.kind === "remove"), ...actions.filter((a) => a.kind === "network")];
    for (const action of first) await this.perform(deps, action, services.get(action.serviceId) ?? null, result, trigger);
    const repairs = actions.filter((a) => a.kind !== "remove" && a.kind !== "network");
    const lanes = Array.from({ length: Math.min(REPAIR_CONCURRENCY, repairs.length) }, async () => {
      for (let next = repairs.shift(); next !== undefined; next = repairs.shift())
        await this.perform(deps, next, services.get(next.serviceId) ?? null, result, trigger);
    });
    await Promise.all(lanes);
  }

  private async perform(
    deps: ReconcileDeps,
    planned: Action,
    service: DesiredService | null,
    result: PassResult,
    trigger: string,
  ): Promise<void> {
    let action = planned;
    try {
      // Why it stopped (out of memory, an exit code), for the entries that say so.
      if (action.kind === "start" || action.kind === "wait")
        action = { ...action, reason: await withStopCause(deps, action.reason, action.containerIds) };
      if (action.kind === "wait") {
        if (action.until !== null) this.retryAt(action.until);
        await this.reportWait(action, service);
        result.actions.push({ kind: action.kind, serviceId: action.serviceId, outcome: "waiting" });
        return;
      }
      const outcome = await act(deps, action, service);
      if ((action.kind === "start" || action.kind === "recreate") && outcome !== "skipped") {
        this.backoffs.set(action.serviceId, afterRepair(this.backoffs.get(action.serviceId), this.now(), this.policy));
      }
      if (action.kind !== "network" || outcome !== "skipped")
        result.actions.push({ kind: action.kind, serviceId: action.serviceId, outcome });
    } catch (err) {
      this.deps.log.warn({ trigger, action: action.kind, serviceId: action.serviceId, err: String(err) }, "reconcile: action failed");
      result.actions.push({ kind: action.kind, serviceId: action.serviceId, outcome: "failed" });
    }
  }

  /** Said once per step of a back-off streak (and once for a release that cannot be recreated). */
  private async reportWait(action: Extract<Action, { kind: "wait" }>, service: DesiredService | null): Promise<void> {
    if (service === null) return;
    const repairs = this.backoffs.get(action.serviceId)?.repairs ?? 0;
    const key = `${action.serviceId}:${action.until === null ? "unrecoverable" : repairs}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    await reportWaiting(this.deps, service, action, repairs);
  }

  private forget(serviceId: string): void {
    this.backoffs.delete(serviceId);
    for (const key of this.reported) if (key.startsWith(`${serviceId}:`)) this.reported.delete(key);
  }
}
