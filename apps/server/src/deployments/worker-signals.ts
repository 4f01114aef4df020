/**
 * How a use case reaches the deployment workers of this process: wake them when it queued a
 * deployment, abort a deployment one of them runs. A worker attaches itself when it is built,
 * so `Deps` is complete before any worker exists and never changes afterwards. Workers of
 * other processes are woken by the `queued` status notification (worker.ts) and see cancel
 * flags in the row.
 */
export interface SignalTarget {
  wake(): void;
  cancel(deploymentId: string): void;
}

export class WorkerSignals {
  private readonly targets = new Set<SignalTarget>();

  attach(target: SignalTarget): void {
    this.targets.add(target);
  }

  /** Look for work now (a stopped worker ignores it). */
  wake(): void {
    for (const target of this.targets) target.wake();
  }

  /** Abort the deployment wherever it runs in this process (a no-op elsewhere). */
  cancel(deploymentId: string): void {
    for (const target of this.targets) target.cancel(deploymentId);
  }
}
