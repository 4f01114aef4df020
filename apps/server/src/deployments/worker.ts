import { randomUUID } from "node:crypto";
import { type ClaimedDeployment, type ClaimLimit, claimNextDeployment } from "./claim.ts";
import { CoalescedRun } from "./coalesced-run.ts";
import { type DeploymentLease, endLapsedDeployments, renewLeases } from "./lease.ts";
import { pruneBuildLogs } from "./log-retention.ts";
import { pruneDeliveries } from "../webhooks/deliveries.ts";
import { databaseUnavailable, isDatabaseUnreachable } from "../db-errors.ts";
import { describeFailure } from "./failure.ts";
import type { RunDeps } from "./run-context.ts";
import { runDeployment } from "./run-deployment.ts";
import { isTerminalStatus } from "./statuses.ts";

const PRUNE_EVERY_MS = 3600_000;
/** How long a failure waits for an unreachable database to be recorded. */
const RECORD_RETRY_MS = 10 * 60_000;

export interface WorkerOptions {
  /** Fixed limit; when absent, InstanceSettings.buildConcurrency ?? BERTH_BUILD_CONCURRENCY. */
  concurrency?: number;
  pollMs?: number;
  /**
   * The name this worker stamps on the deployments it claims (deployments/lease.ts): the
   * process's (workerNameOf) in the servers; tests' workers get a name of their own.
   */
  name?: string;
}

/**
 * Consumes the deployment queue kept in Postgres. Claims are made one at a time (so the
 * one-per-service rule holds), and the claim itself enforces the global concurrency. The
 * queue is durable: a restart finds queued rows where it left them. Cancel requests (a
 * flag in the row, so any process can set it) abort the running deployment's stage.
 */
export class DeploymentWorker {
  private readonly running = new Map<string, { job: Promise<void>; cancel: AbortController; serviceId: string }>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** One look for work at a time; a wake during one (a job ended, a deployment queued) makes another. */
  private readonly looking = new CoalescedRun(() => this.tick());
  private nextPruneAt = 0;
  private nextLeaseAt = 0;
  private stopWatching: (() => void) | null = null;
  readonly lease: DeploymentLease;

  constructor(
    private readonly deps: RunDeps,
    private readonly options: WorkerOptions = {},
  ) {
    this.lease = { workerName: options.name ?? `worker-${randomUUID()}`, seconds: deps.env.BERTH_DEPLOYMENT_LEASE_S };
    // Use cases wake and cancel through deps.queue; the deps never change after they are built.
    deps.queue.attach(this);
  }

  start(): void {
    this.stopped = false;
    // Another process queued a deployment (or ended one, which may free its service or a slot):
    // its NOTIFY reaches here through deps.events (pg-events.ts), so a separate worker process
    // claims at once instead of at its next poll. The poll stays as the fallback for a
    // notification lost while the LISTEN connection reconnects.
    this.stopWatching ??= this.deps.events.onStatus((e) => {
      if (e.remote && (e.status === "queued" || isTerminalStatus(e.status))) this.wake();
    });
    this.wake();
  }

  /** Look for work now (a deployment was queued, or a job ended and freed its service or a slot). */
  wake = (): void => {
    if (!this.stopped) void this.looking.request();
  };

  /** Abort a deployment this worker runs (no-op otherwise). */
  cancel = (deploymentId: string): void => {
    this.running.get(deploymentId)?.cancel.abort();
  };

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopWatching?.();
    this.stopWatching = null;
    if (this.timer) clearTimeout(this.timer);
    await this.looking.settled(); // a claim in flight may still add a job
    await Promise.allSettled([...this.running.values()].map((r) => r.job));
  }

  /** The fallback poll: the next look for work if nothing wakes the worker before. */
  private schedulePoll(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(this.wake, this.options.pollMs ?? 1000);
  }

  private limit(): ClaimLimit {
    const fixed = this.options.concurrency;
    return fixed === undefined ? { fallback: this.deps.env.BERTH_BUILD_CONCURRENCY } : { fixed };
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.applyCancelRequests();
      if (Date.now() >= this.nextLeaseAt) {
        // Renewed three times per lease; deployments another process left lapse and end here.
        this.nextLeaseAt = Date.now() + (this.lease.seconds * 1000) / 3;
        await renewLeases(this.deps.db, this.lease, [...this.running.keys()]);
        const lapsed = await endLapsedDeployments(this.deps.db);
        if (lapsed.length > 0) this.deps.log.warn({ deployments: lapsed }, "ended deployments whose process stopped renewing their lease");
      }
      if (Date.now() >= this.nextPruneAt) {
        this.nextPruneAt = Date.now() + PRUNE_EVERY_MS;
        const pruned = await pruneBuildLogs(this.deps);
        if (pruned > 0) this.deps.log.info({ lines: pruned }, "pruned deployment logs past their retention");
        const deliveries = await pruneDeliveries(this.deps.db);
        if (deliveries > 0) this.deps.log.info({ deliveries }, "pruned old webhook deliveries");
      }
      const limit = this.limit();
      while (!this.stopped) {
        // A service whose deployment is recorded but still retiring its old release here stays busy.
        const busy = [...new Set([...this.running.values()].map((r) => r.serviceId))];
        const claimed = await claimNextDeployment(this.deps.db, limit, busy, this.lease);
        if (!claimed) break;
        this.deps.events.publishStatus({
          deploymentId: claimed.id,
          serviceId: claimed.serviceId,
          teamId: claimed.teamId,
          status: claimed.status,
        });
        this.track(claimed);
        // One queued after this claim's snapshot wakes the worker itself (its enqueue does).
        if (!claimed.more) break;
      }
    } catch (err) {
      this.deps.log.warn({ err: String(err) }, "could not claim deployments; will retry");
    } finally {
      if (!this.stopped) this.schedulePoll();
    }
  }

  private async applyCancelRequests(): Promise<void> {
    if (this.running.size === 0) return;
    const requested = await this.deps.db.deployment.findMany({
      where: { id: { in: [...this.running.keys()] }, cancelRequestedAt: { not: null } },
      select: { id: true },
    });
    for (const { id } of requested) this.cancel(id);
  }

  private track(claimed: ClaimedDeployment): void {
    const { id, serviceId } = claimed;
    const cancel = new AbortController();
    const job = this.execute(claimed, cancel.signal).finally(() => {
      this.running.delete(id);
      this.wake();
    });
    this.running.set(id, { job, cancel, serviceId });
  }

  private async execute(claimed: ClaimedDeployment, signal: AbortSignal): Promise<void> {
    const { id } = claimed;
    try {
      await runDeployment(this.deps, claimed, signal);
    } catch (err) {
      this.deps.log.error({ deploymentId: id, err: describeFailure(err) }, "deployment crashed");
      await this.failAndCleanUp(id, err);
    }
  }

  /**
   * Record the failure. While the database is unreachable (the usual cause of a crash here),
   * retry until it is back: the job stays in `running`, so its lease is renewed and the row ends
   * with its own reason -- not, once the lease lapsed, as "the Berth process stopped".
   */
  private async recordFailure(id: string, err: unknown): Promise<void> {
    const deadline = Date.now() + RECORD_RETRY_MS;
    for (;;) {
      try {
        await this.deps.db.deployment.updateMany({
          where: { id, status: { in: ["cloning", "building", "releasing"] } },
          data: { status: "failed", error: describeFailure(err), finishedAt: new Date() },
        });
        return;
      } catch (e) {
        if (!isDatabaseUnreachable(e) || this.stopped || Date.now() > deadline) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /** Best effort: record the failure and remove this deployment's container. */
  private async failAndCleanUp(id: string, err: unknown): Promise<void> {
    const problems: string[] = [];
    await this.recordFailure(id, isDatabaseUnreachable(err) ? databaseUnavailable() : err).catch((e: unknown) =>
      problems.push(`record failure: ${String(e)}`),
    );
    const containers = await this.deps.engine.listManaged().catch((e: unknown) => {
      problems.push(`list containers: ${String(e)}`);
      return [];
    });
    for (const c of containers.filter((c) => c.deploymentId === id)) {
      await this.deps.engine.removeContainer(c.containerId).catch((e: unknown) => problems.push(`remove ${c.containerId}: ${String(e)}`));
    }
    if (problems.length > 0) this.deps.log.error({ deploymentId: id, problems }, "clean-up after a crashed deployment was incomplete");
  }
}
