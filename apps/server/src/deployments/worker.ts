import type { Deps } from "../deps.ts";
import { claimNextDeployment } from "./claim.ts";
import { describeFailure, runDeployment } from "./run-deployment.ts";

export interface WorkerOptions {
  concurrency: number;
  pollMs?: number;
}

/**
 * Consumes the deployment queue kept in Postgres. Claims are made one at a time (so the
 * one-per-service rule holds), up to `concurrency` deployments run at once. The queue is
 * durable: a restart finds queued rows where it left them.
 */
export class DeploymentWorker {
  private readonly running = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private claiming = false;

  constructor(
    private readonly deps: Pick<Deps, "db" | "engine" | "log" | "env">,
    private readonly options: WorkerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Look for work now (called when a deployment is queued). */
  wake = (): void => {
    if (!this.stopped) this.schedule(0);
  };

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running]);
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.fill(), delayMs);
  }

  private async fill(): Promise<void> {
    if (this.stopped || this.claiming) return;
    this.claiming = true;
    try {
      while (!this.stopped && this.running.size < this.options.concurrency) {
        const id = await claimNextDeployment(this.deps.db);
        if (!id) break;
        this.track(id);
      }
    } catch (err) {
      this.deps.log.warn({ err: String(err) }, "could not claim deployments; will retry");
    } finally {
      this.claiming = false;
      if (!this.stopped) this.schedule(this.options.pollMs ?? 1000);
    }
  }

  private track(id: string): void {
    const job = this.execute(id).finally(() => {
      this.running.delete(job);
      this.wake();
    });
    this.running.add(job);
  }

  private async execute(id: string): Promise<void> {
    try {
      await runDeployment(this.deps, id);
    } catch (err) {
      this.deps.log.error({ deploymentId: id, err: describeFailure(err) }, "deployment crashed");
      await this.failAndCleanUp(id, err);
    }
  }

  /** Best effort: record the failure and remove this deployment's container. */
  private async failAndCleanUp(id: string, err: unknown): Promise<void> {
    const problems: string[] = [];
    await this.deps.db.deployment
      .updateMany({ where: { id, status: "deploying" }, data: { status: "failed", error: describeFailure(err), finishedAt: new Date() } })
      .catch((e: unknown) => problems.push(`record failure: ${String(e)}`));
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
